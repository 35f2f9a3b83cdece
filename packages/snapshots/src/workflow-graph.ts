import type { PathSegments, RawIssue } from './issue-path.js';
import { nameOf, type RawWorkflow } from './raw-workflows.js';
import type { TriggerType } from './workflow-types.js';

/** One `start_workflow` step whose target exists. */
interface StartEdge {
  from: RawWorkflow;
  to: RawWorkflow;
  path: PathSegments;
}

export interface WorkflowGraph {
  issues: RawIssue[];
  /** The triggers each workflow's run can start from, its own and those of workflows that start it. */
  entries: Map<RawWorkflow, Set<TriggerType>>;
}

/**
 * How workflows start each other: unknown or disabled targets, cycles (a run that starts itself
 * again, directly or through others, would never end), workflows nothing can run, and the triggers
 * each run can start from (which decide its merge fields).
 */
export function checkWorkflowGraph(workflows: RawWorkflow[]): WorkflowGraph {
  const byKey = new Map<string, RawWorkflow>();
  for (const workflow of workflows) if (workflow.key !== undefined && !byKey.has(workflow.key)) byKey.set(workflow.key, workflow);
  const issues: RawIssue[] = [];
  const edges: StartEdge[] = [];
  for (const from of workflows) {
    for (const step of from.steps) {
      const target = step.kind === 'start_workflow' ? step.fields.start_workflow : undefined;
      if (typeof target !== 'string') continue;
      const path = [...step.path, 'start_workflow'];
      const to = byKey.get(target);
      if (!to) {
        const defined = [...byKey.keys()].map((key) => `"${key}"`).join(', ') || 'none';
        issues.push({ path, message: `workflow "${target}" is not defined under workflows (defined: ${defined})` });
      } else if (!to.enabled) {
        issues.push({ path, message: `workflow "${target}" is disabled (enabled: false), so starting it would do nothing` });
      } else {
        edges.push({ from, to, path });
      }
    }
  }
  issues.push(...cycleIssues(workflows, edges));
  const entries = entryTriggers(workflows, edges);
  for (const workflow of workflows) {
    if (!workflow.trigger && workflow.enabled && !edges.some((edge) => edge.to === workflow)) {
      issues.push({ path: workflow.path, message: `${nameOf(workflow)} has no trigger and no workflow starts it, so it never runs` });
    }
  }
  return { issues, entries };
}

/** Each cycle once, at the start_workflow step that closes it, named in order: a → b → a. */
function cycleIssues(workflows: RawWorkflow[], edges: StartEdge[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const seen = new Set<string>();
  const done = new Set<RawWorkflow>();
  const stack: RawWorkflow[] = [];
  const edgesFrom = new Map<RawWorkflow, StartEdge[]>();
  for (const edge of edges) edgesFrom.set(edge.from, [...(edgesFrom.get(edge.from) ?? []), edge]);
  const visit = (workflow: RawWorkflow): void => {
    stack.push(workflow);
    for (const edge of edgesFrom.get(workflow) ?? []) {
      const at = stack.indexOf(edge.to);
      if (at >= 0) {
        const cycle = [...stack.slice(at), edge.to].map((member) => member.key ?? String(member.index));
        // The same cycle is found from each of its members; the sorted set of members names it once.
        const name = [...new Set(cycle)].sort().join(' ');
        if (!seen.has(name)) {
          seen.add(name);
          issues.push({ path: edge.path, message: `start_workflow cycle: ${cycle.join(' → ')}; a run would start itself again and never end` });
        }
      } else if (!done.has(edge.to)) {
        visit(edge.to);
      }
    }
    stack.pop();
    done.add(workflow);
  };
  for (const workflow of workflows) if (!done.has(workflow)) visit(workflow);
  return issues;
}

/** Own trigger plus every starter's entries, to a fixed point (sets only grow, so it ends). */
function entryTriggers(workflows: RawWorkflow[], edges: StartEdge[]): Map<RawWorkflow, Set<TriggerType>> {
  const entries = new Map(workflows.map((workflow) => [workflow, new Set(workflow.trigger ? [workflow.trigger.type] : [])]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const { from, to } of edges) {
      const target = entries.get(to)!;
      for (const type of entries.get(from)!) {
        if (!target.has(type)) {
          target.add(type);
          changed = true;
        }
      }
    }
  }
  return entries;
}
