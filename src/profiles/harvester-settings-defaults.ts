/** Harvester settings defaults (`settings.harvesterhci.io`). */
import type { SourcedFields } from './sourced.ts';
import type { HarvesterSettings } from './types.ts';
import { isAtLeast } from './version.ts';

const settingsHelper = 'harvester/harvester:pkg/settings/settings_helper.go';

export function harvesterSettingsDefaults(harvesterVersion: string): SourcedFields<HarvesterSettings> {
  return {
    vmForceResetPolicy: isAtLeast(harvesterVersion, '1.7.0')
      ? {
          value: { enable: true, periodSeconds: 15, vmMigrationTimeoutSeconds: 180 },
          source: `${settingsHelper} ({"enable":true,"period":15,"vmMigrationTimeout":180}, from v1.7.0: harvester/harvester commit fe51b5234 "settings: add VMMigrationTimeout fields"; pkg/controller/master/node/node_down_controller.go adds kubevirt.io/drain after period and out-of-service vmMigrationTimeout later)`,
        }
      : {
          // vmMigrationTimeout 0: the field does not exist before v1.7.0; the node-down controller
          // force-deletes the node's virt-launcher pods and VolumeAttachments `period` after Ready
          // left True, with no drain or out-of-service taint.
          value: { enable: true, periodSeconds: 300, vmMigrationTimeoutSeconds: 0 },
          source:
            'harvester/harvester:pkg/settings/settings.go v1.1.0-v1.6.1 (InitVMForceResetPolicy: {"enable":true,"period":300}, "5 minutes") and pkg/controller/master/node/node_down_controller.go (force delete virt-launcher pods with grace 0 once time.Since(Ready.LastTransitionTime) >= period); harvester/harvester#4049 measures NotReady -> VM down in about the period (10 s there)',
        },
    autoRotateRke2Certs: isAtLeast(harvesterVersion, '1.3.0')
      ? {
          value: { enable: false, expiringInSeconds: 240 * 3600 },
          source: `${settingsHelper} ({"enable":false,"expiringInHours":240})`,
        }
      : {
          value: { enable: false, expiringInSeconds: 240 * 3600 },
          source:
            'harvester/harvesterhci.io KB (RKE2 certificates): "Harvester v1.3.0 added the setting auto-rotate-rke2-certs" (absent before, so off)',
        },
    overcommitConfig: {
      value: { cpuPercent: 1600, memoryPercent: 150, storagePercent: 200 },
      source:
        'harvester/harvester:pkg/settings/settings.go (overcommit-config {"cpu":1600,"memory":150,"storage":200}; storage pushed into Longhorn by pkg/controller/master/setting/overcommit_config.go); older notes give cpu 1000, storage 100',
    },
    additionalGuestMemoryOverheadRatio: {
      value: 1.5,
      source:
        'harvester/harvester:pkg/settings/settings.go (additional-guest-memory-overhead-ratio "1.5"; version added unverified)',
    },
    supportBundleNamespaces: {
      value: [],
      source:
        'harvester/harvester:pkg/settings/settings.go (support-bundle-namespaces empty; harvester/harvesterhci.io:kb/2024-07-22/harvester_cluster_shutdown_and_restart.md: add workload namespaces)',
    },
  };
}
