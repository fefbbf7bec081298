// The nodes of a PostgreSQL `explain (format json)` plan, the plan itself first (tests that check an index is used).
export function planNodes(plan: Record<string, any>): Array<Record<string, any>> {
  return [plan, ...((plan.Plans as Array<Record<string, any>> | undefined) ?? []).flatMap(planNodes)];
}
