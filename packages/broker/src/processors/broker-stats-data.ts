/** VIEW_BROKER_STATS_DATA (rocketmq-protocol.md §4.7, mqadmin statsAll): one stats item's minute/hour/day windows. */
import { JavaDouble, toFastJson } from '@rockit/common';
import { RequestCode, ResponseCode, ViewBrokerStatsDataRequestHeader, decodeHeader } from '@rockit/remoting';
import type { StatsSnapshot } from '../stats/broker-stats-manager.js';
import type { BrokerRequestHandler } from './context.js';
import { bodyResponse, codeResponse } from './responses.js';

/** BrokerStatsItem as fastjson writes it: sum a long, tps and avgpt doubles. */
function statsItemJson(s: StatsSnapshot): { avgpt: JavaDouble; sum: number; tps: JavaDouble } {
  return { avgpt: new JavaDouble(s.avgpt), sum: Math.trunc(s.sum), tps: new JavaDouble(s.tps) };
}

const viewBrokerStatsData: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, ViewBrokerStatsDataRequestHeader);
  const item = ctx.stats.getStatsItem(h.statsName, h.statsKey);
  if (item === undefined) return codeResponse(ResponseCode.SYSTEM_ERROR, `The stats <${h.statsName}> <${h.statsKey}> not exist`);
  const data = item.statsData();
  return bodyResponse(
    toFastJson({ statsDay: statsItemJson(data.statsDay), statsHour: statsItemJson(data.statsHour), statsMinute: statsItemJson(data.statsMinute) }),
  );
};

export const BROKER_STATS_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [[RequestCode.VIEW_BROKER_STATS_DATA, viewBrokerStatsData]];
