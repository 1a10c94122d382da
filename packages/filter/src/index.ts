export {
  FilterError,
  FilterSyntaxError,
  FilterSemanticError,
  FilterTypeError,
  FilterEvaluationError,
  SUBSCRIPTION_PARSE_FAILED,
  SYSTEM_ERROR,
  type FilterPosition,
} from './errors.js';
export { SUB_ALL, tagHashCode, parseTagExpression, matchesTagCode, matchesTag, type TagSubscription } from './tag-expression.js';
export { compileSql92, clearSql92Cache, type CompiledSql92, type CompileSql92Options } from './sql92/compile.js';
export { parseSql92 } from './sql92/parse.js';
export { print as printSql92, quoteString } from './sql92/print.js';
export { interpretSql92 } from './sql92/interpret.js';
export { lookupProperty, type MessageProperties } from './sql92/properties.js';
export type * from './sql92/ast.js';
export { isBooleanNode, staticTypeOf } from './sql92/ast.js';
export {
  ExpressionType,
  isTagType,
  compileSubscription,
  compileTagFilter,
  compileSql92Filter,
  registerFilterType,
  filterTypes,
  type MessageFilter,
  type TagMessageFilter,
  type Sql92MessageFilter,
  type FilterCompiler,
} from './subscription.js';
