/** `profileFor(harvesterVersion)`: the components and defaults of one Harvester release. */
import { certificateDefaults } from './certificate-defaults.ts';
import { rke2EtcdTiming } from './etcd-timing-defaults.ts';
import { type HarvesterRelease, harvesterReleases } from './harvester-releases.ts';
import { harvesterSettingsDefaults } from './harvester-settings-defaults.ts';
import { kubernetesTimingDefaults } from './kubernetes-timing-defaults.ts';
import { kubevirtMigrationDefaults } from './kubevirt-migration-defaults.ts';
import { longhornDefaults } from './longhorn-defaults.ts';
import { sourcesOf, valuesOf } from './sourced.ts';
import type { VersionProfile } from './types.ts';
import { withoutV } from './version.ts';

export class UnknownHarvesterVersionError extends Error {
  constructor(readonly version: string) {
    super(
      `unknown Harvester version ${JSON.stringify(version)}: expected one of ${knownHarvesterVersions().join(', ')}`,
    );
    this.name = 'UnknownHarvesterVersionError';
  }
}

/** Every version `profileFor` accepts, oldest first, without a leading "v". */
export function knownHarvesterVersions(): readonly string[] {
  return harvesterReleases.map((release) => release.harvesterVersion);
}

/** The profile of a Harvester release ("1.3.0" or "v1.3.0"); throws UnknownHarvesterVersionError otherwise. */
export function profileFor(harvesterVersion: string): VersionProfile {
  const wanted = withoutV(harvesterVersion);
  const release = harvesterReleases.find((candidate) => candidate.harvesterVersion === wanted);
  if (release === undefined) throw new UnknownHarvesterVersionError(harvesterVersion);
  return buildProfile(release);
}

function buildProfile(release: HarvesterRelease): VersionProfile {
  const versions = valuesOf(release.components);
  const etcd = rke2EtcdTiming(versions.etcd);
  const kubevirtMigrations = kubevirtMigrationDefaults(versions.kubevirt);
  const longhorn = longhornDefaults(versions.longhorn);
  const harvester = harvesterSettingsDefaults(release.harvesterVersion);
  const kubernetes = kubernetesTimingDefaults(versions.kubernetes);
  const certificates = certificateDefaults(versions.rke2);
  return {
    harvesterVersion: release.harvesterVersion,
    components: versions,
    settings: {
      etcd: valuesOf(etcd),
      kubevirtMigrations: valuesOf(kubevirtMigrations),
      longhorn: valuesOf(longhorn),
      harvester: valuesOf(harvester),
      kubernetes: valuesOf(kubernetes),
      certificates: valuesOf(certificates),
    },
    sources: {
      ...sourcesOf('components', release.components),
      ...sourcesOf('settings.etcd', etcd),
      ...sourcesOf('settings.kubevirtMigrations', kubevirtMigrations),
      ...sourcesOf('settings.longhorn', longhorn),
      ...sourcesOf('settings.harvester', harvester),
      ...sourcesOf('settings.kubernetes', kubernetes),
      ...sourcesOf('settings.certificates', certificates),
    },
  };
}
