/**
 * What a scenario gets when it leaves a field out: node boot and hardware, VM strategies, guest and
 * volume placeholders, Rancher's scale-available. Cluster settings come from the version profile
 * (profile.ts); these do not depend on the release. "[inf]" marks an inference or placeholder that
 * calibration should replace.
 */
import type { SourcedFields } from './sourced.ts';
import type { ScenarioDefaults } from './types.ts';

const kbShutdown = 'harvester/harvesterhci.io:kb/2024-07-22/harvester_cluster_shutdown_and_restart.md';
const minute = 60;
const day = 24 * 3600;

export const scenarioDefaults: SourcedFields<ScenarioDefaults> = {
  nodeBoot: {
    value: { distribution: 'lognormal', medianSeconds: 3 * minute, sigma: 0.3, maxSeconds: 7 * minute },
    source: `[inf] bare-metal POST + OS + rke2 start; ${kbShutdown}: "Power on the last shutdown node first. After about three minutes, continue"`,
  },
  nodeDeploymentsReady: {
    value: { distribution: 'lognormal', medianSeconds: 5 * minute, sigma: 0.4, maxSeconds: 8 * minute },
    source: `[inf] boot max + this max = 15 min; ${kbShutdown}: "it may take upto around 15 minutes for the Harvester OS to be running and all the deployments on this node to be ready"`,
  },
  dhcpLeaseSeconds: {
    value: day,
    source: '[inf] a common DHCP server default (ISC dhcpd, dnsmasq: 1 day or less)',
  },
  nicBandwidthBytesPerSecond: {
    value: 10e9 / 8,
    source:
      'harvester/harvesterhci.io KB (Longhorn best practices): "10 Gbps network bandwidth between nodes"',
  },
  diskWriteBytesPerSecond: {
    value: { nvme: 2e9, ssd: 500e6, hdd: 150e6 },
    source: '[inf] typical sustained sequential write of the device class',
  },
  vmRunStrategy: {
    value: 'RerunOnFailure',
    source: 'harvester/harvester:pkg/builder/vm.go (default runStrategy)',
  },
  vmEvictionStrategy: {
    value: 'LiveMigrateIfPossible',
    source: '[inf] Harvester UI default for new VMs; unverified against harvester/harvester',
  },
  vmMaintainModeStrategy: {
    value: 'Migrate',
    source: 'harvester/docs:docs/host/host.md (harvesterhci.io/maintain-mode-strategy default Migrate)',
  },
  guestDirtyRateBytesPerSecond: {
    value: 4 * 2 ** 20,
    source: '[inf] placeholder: a lightly loaded server guest',
  },
  guestWorkingSetFraction: { value: 0.5, source: '[inf] placeholder: half of guest memory is touched' },
  guestDiskWriteBytesPerSecond: { value: 1e6, source: '[inf] placeholder: 1 MB/s of steady writes' },
  guestFstrimPeriodSeconds: {
    value: 7 * day,
    source:
      'harvester/harvesterhci.io:kb/2024-01-30/the_potential_risk_with_fstrim.md: "fstrim.timer: When this service is enabled, fstrim executes weekly by default"',
  },
  guestShutdown: {
    value: { distribution: 'lognormal', medianSeconds: 20, sigma: 0.5, maxSeconds: 5 * minute },
    source: '[inf] placeholder: an OS shutdown; KubeVirt grace period is 180 s by default, 5 min cap',
  },
  guestBoot: {
    value: { distribution: 'lognormal', medianSeconds: 40, sigma: 0.4, maxSeconds: 5 * minute },
    source: '[inf] placeholder: a cloud image boot with cloud-init',
  },
  volumeUsedFraction: { value: 0.5, source: '[inf] placeholder: half of each volume holds data' },
  volumeStorageClass: {
    value: 'harvester-longhorn',
    source: 'harvester/harvester:deploy/charts/harvester/templates/harvester-storageclass.yaml',
  },
  scaleAvailable: {
    value: { withWitness: 2, withoutWitness: 3 },
    source: `harvester/harvester:deploy/charts/harvester/templates/configmap.yaml (promote.sh annotates scale-available "2" for a witness); ${kbShutdown}: "3"`,
  },
};
