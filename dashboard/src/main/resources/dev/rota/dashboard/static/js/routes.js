// Every API path the dashboard uses, in one place, so a renamed route is a one-line change.

export const routes = {
  me: '/me',
  cluster: '/cluster',
  failover: '/cluster/failover',
  jobs: '/jobs',
  job: id => `/jobs/${encodeURIComponent(id)}`,
  jobPreview: id => `/jobs/${encodeURIComponent(id)}/preview`,
  jobPause: id => `/jobs/${encodeURIComponent(id)}/pause`,
  jobResume: id => `/jobs/${encodeURIComponent(id)}/resume`,
  jobTrigger: id => `/jobs/${encodeURIComponent(id)}/trigger`,
  runs: '/runs',
  run: id => `/runs/${encodeURIComponent(id)}`,
  runRerun: id => `/runs/${encodeURIComponent(id)}/rerun`,
  runCancel: id => `/runs/${encodeURIComponent(id)}/cancel`,
  bulkRerun: '/runs/bulk-rerun',
  bulkCancel: '/runs/bulk-cancel',
  audit: '/audit',
  parked: '/messages/parked',
  rejected: '/messages/rejected',
  fireStats: '/stats/fires',
};
