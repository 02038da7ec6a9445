import { discoverInventoryNow, scanInventoryNow, type DaemonJobs } from './daemon-jobs.js';
import {
  retryPendingMail,
  sendCertificateAlerts,
  sendFindingAlerts,
  sendWeeklyDigest,
} from '../notify/index.js';

/** The real use cases: the inventory scan, the discovery, and the mail ones of notify.ts. */
export function defaultDaemonJobs(): DaemonJobs {
  return {
    scan: scanInventoryNow,
    sendWeeklyDigest,
    sendFindingAlerts,
    sendCertificateAlerts,
    retryPendingMail,
    discover: discoverInventoryNow,
  };
}
