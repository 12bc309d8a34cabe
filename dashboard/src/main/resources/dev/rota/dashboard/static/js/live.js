// Reading the events stream: what kind an event is and a line of text for it. The stream's payloads are
// the API's; this is the one place that knows their shape.

/** The run an event is about, or null. */
export function runOf(type, event) {
  if (!event || typeof event !== 'object') return null;
  // The API sends {type, at, team, data: {...}}; the fields of interest are in data.
  const data = event.data && typeof event.data === 'object' ? event.data : event;
  if (data.run && typeof data.run === 'object') return data.run;
  if (data.runId !== undefined || (/run/i.test(type) && data.id !== undefined)) {
    return { id: data.runId ?? data.id, jobId: data.jobId, jobName: data.jobName, team: data.team, state: data.state,
      taskType: data.taskType, workerId: data.workerId };
  }
  return null;
}

export function isClusterEvent(type) {
  return /leader|master|worker|cluster|failover/i.test(type);
}

export function isRunEvent(type, data) {
  return /run/i.test(type) || runOf(type, data) !== null;
}

export function isJobEvent(type) {
  return /^job/i.test(type);
}

/** One line of text describing an event. */
export function describe(type, data) {
  const run = runOf(type, data);
  if (run) {
    return `run ${run.id}${run.jobName ? ` (${run.jobName})` : ''} → ${run.state || type}${run.workerId ? ` on ${run.workerId}` : ''}`;
  }
  const inner = data && typeof data === 'object' && data.data && typeof data.data === 'object' ? data.data : data;
  if (inner && typeof inner === 'object') {
    const bits = ['leaderId', 'masterId', 'workerId', 'id', 'epoch', 'state']
      .filter(k => inner[k] !== undefined && inner[k] !== null).map(k => `${k} ${inner[k]}`);
    return `${type}${bits.length ? ': ' + bits.join(', ') : ''}`;
  }
  return `${type}${data ? ': ' + data : ''}`;
}

/** Calls fn at most once per `ms`, trailing: bursts of events cost one reload. The first call returns fn's result. */
export function throttle(fn, ms = 250) {
  let timer = null;
  let again = false;
  return () => {
    if (timer) { again = true; return undefined; }
    timer = setTimeout(function tick() {
      if (again) { again = false; fn(); timer = setTimeout(tick, ms); } else timer = null;
    }, ms);
    return fn();
  };
}

/**
 * Notes the first moment a run was shown in a state (window.__rotaSeen["id:STATE"] = epoch ms). The
 * browser test reads it to measure the delay from a state change's commit to the screen.
 */
export function markSeen(runs) {
  const seen = (window.__rotaSeen = window.__rotaSeen || {});
  const now = Date.now();
  for (const r of runs) {
    const key = `${r.id}:${r.state}`;
    if (!(key in seen)) seen[key] = now;
  }
}
