/**
 * Which flow events change the case team, read from the flow JSON: the case page asks for the member
 * first, `sendEvent` requires `case.team.manage` for them, and the pack validator checks their roles.
 * Pure (safe for the validator, the CLI and the client).
 */
export const TEAM_ACTIONS = ['addToTeam', 'removeFromTeam', 'setCoordinator'] as const;
export type TTeamAction = (typeof TEAM_ACTIONS)[number];

type TStateNode = { on?: Record<string, unknown>; states?: Record<string, TStateNode> };

export function isTeamAction(name: string): name is TTeamAction {
  return (TEAM_ACTIONS as readonly string[]).includes(name);
}

/** Event type → the team action one of its transitions runs (anywhere in the machine). */
export function teamActionsByEvent(flowJson: unknown): Record<string, TTeamAction> {
  const out: Record<string, TTeamAction> = {};
  const visit = (node: TStateNode) => {
    for (const [type, def] of Object.entries(node.on ?? {})) {
      for (const tr of Array.isArray(def) ? def : [def]) {
        if (!tr || typeof tr !== 'object') continue;
        const actions = (tr as { actions?: unknown }).actions;
        for (const a of Array.isArray(actions) ? actions : actions ? [actions] : []) {
          const name = typeof a === 'string' ? a : (a as { type?: string } | null)?.type;
          if (name && isTeamAction(name)) out[type] = name;
        }
      }
    }
    for (const child of Object.values(node.states ?? {})) if (child && typeof child === 'object') visit(child);
  };
  if (flowJson && typeof flowJson === 'object') visit(flowJson as TStateNode);
  return out;
}
