/** System and special topics (RocketMQ `TopicValidator`, protocol §9.4). */
export const SystemTopic = {
  AUTO_CREATE_TOPIC_KEY_TOPIC: 'TBW102',
  RMQ_SYS_SCHEDULE_TOPIC: 'SCHEDULE_TOPIC_XXXX',
  RMQ_SYS_BENCHMARK_TOPIC: 'BenchmarkTest',
  RMQ_SYS_TRANS_HALF_TOPIC: 'RMQ_SYS_TRANS_HALF_TOPIC',
  RMQ_SYS_TRACE_TOPIC: 'RMQ_SYS_TRACE_TOPIC',
  RMQ_SYS_TRANS_OP_HALF_TOPIC: 'RMQ_SYS_TRANS_OP_HALF_TOPIC',
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC: 'TRANS_CHECK_MAX_TIME_TOPIC',
  RMQ_SYS_SELF_TEST_TOPIC: 'SELF_TEST_TOPIC',
  RMQ_SYS_OFFSET_MOVED_EVENT: 'OFFSET_MOVED_EVENT',
} as const;

/** Any topic with this prefix is a system topic. */
export const SYSTEM_TOPIC_PREFIX = 'rmq_sys_';
/** Suffix of the per-cluster reply topic `<clusterName>_REPLY_TOPIC` (request/reply). */
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';
export const TOPIC_MAX_LENGTH = 127;
/** Group names share the topic character set; 255 is the client's limit (`Validators.CHARACTER_MAX_LENGTH`). */
export const GROUP_MAX_LENGTH = 255;
export const VALID_NAME_PATTERN = '^[%|a-zA-Z0-9_-]+$';

const SYSTEM_TOPICS: ReadonlySet<string> = new Set<string>(Object.values(SystemTopic));

/** Topics a producer may never send to; the broker answers NO_PERMISSION. */
export const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set<string>([
  SystemTopic.RMQ_SYS_SCHEDULE_TOPIC,
  SystemTopic.RMQ_SYS_TRANS_HALF_TOPIC,
  SystemTopic.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  SystemTopic.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  SystemTopic.RMQ_SYS_SELF_TEST_TOPIC,
  SystemTopic.RMQ_SYS_OFFSET_MOVED_EVENT,
]);

/** Built-in system topics plus names a broker registers at start (its cluster and broker name topics). */
const extraSystemTopics = new Set<string>();

export function addSystemTopic(topic: string): void {
  extraSystemTopics.add(topic);
}

export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPICS.has(topic) || extraSystemTopics.has(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX);
}

export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND_TOPICS.has(topic);
}

export function systemTopics(): string[] {
  return [...SYSTEM_TOPICS, ...extraSystemTopics];
}

/** True when a character outside `[%|a-zA-Z0-9_-]` occurs (`isTopicOrGroupIllegal`). */
export function hasIllegalNameCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) || // 0-9
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x61 && c <= 0x7a) || // a-z
      c === 0x25 || // %
      c === 0x7c || // |
      c === 0x5f || // _
      c === 0x2d; // -
    if (!ok) return true;
  }
  return false;
}

function isBlank(s: string | undefined | null): boolean {
  return s == null || s.trim().length === 0;
}

/**
 * The broker's topic-name check (`TopicValidator.validateTopic`): undefined when valid, else the reason
 * RocketMQ gives (used as the response remark with SYSTEM_ERROR).
 */
export function validateTopic(topic: string | undefined | null): string | undefined {
  if (isBlank(topic)) return 'The specified topic is blank.';
  const t = topic as string;
  if (hasIllegalNameCharacter(t)) {
    return `The specified topic contains illegal characters, allowing only ${VALID_NAME_PATTERN}`;
  }
  if (t.length > TOPIC_MAX_LENGTH) return 'The specified topic is longer than topic max length.';
  return undefined;
}

/**
 * The client's check before sending or creating a topic (`Validators.checkTopic` plus the system-topic and
 * default-topic rules): everything `validateTopic` refuses, plus the default topic and system topics.
 */
export function validateUserTopic(topic: string | undefined | null): string | undefined {
  const reason = validateTopic(topic);
  if (reason) return reason;
  const t = topic as string;
  if (t === SystemTopic.AUTO_CREATE_TOPIC_KEY_TOPIC) {
    return `The topic[${t}] is conflict with AUTO_CREATE_TOPIC_KEY_TOPIC.`;
  }
  if (isSystemTopic(t)) return `The topic[${t}] is conflict with system topic.`;
  return undefined;
}

/** Reason a producer may not send to `topic`, or undefined. */
export function validateSendTopic(topic: string): string | undefined {
  return isNotAllowedSendTopic(topic) ? `Sending message to topic[${topic}] is forbidden.` : undefined;
}

/** Consumer/producer group name check (`Validators.checkGroup`). */
export function validateGroup(group: string | undefined | null): string | undefined {
  if (isBlank(group)) return 'the specified group is blank';
  const g = group as string;
  if (g.length > GROUP_MAX_LENGTH) return 'the specified group is longer than group max length 255.';
  if (hasIllegalNameCharacter(g)) {
    return `the specified group[${g}] contains illegal characters, allowing only ${VALID_NAME_PATTERN}`;
  }
  return undefined;
}
