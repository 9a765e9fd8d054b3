/**
 * KubeVirt's completion deadline (`kubevirt/kubevirt:pkg/virt-launcher/virtwrap/live-migration-source.go`,
 * `pkg/virt-launcher/virtwrap/manager.go` getVMIMigrationDataSize): completionTimeoutPerGiB times
 * the migrated data in decimal gigabytes rounded up (`Quantity.ScaledValue(resource.Giga)`).
 */

/** ceil(bytes / 10^9): 2 GiB → 3, 4 GiB → 5, 1 byte → 1, 0 → 0. */
export function dataSizeDecimalGigabytes(dataBytes: number): number {
  return Math.ceil(dataBytes / 1e9);
}

/** Memory plus, for BlockMigration, the local disk bytes copied. */
export function migrationDataBytes(memoryBytes: number, blockMigrationDiskBytes = 0): number {
  return memoryBytes + blockMigrationDiskBytes;
}

/** `acceptableCompletionTime` in seconds. */
export function acceptableCompletionSeconds(
  completionTimeoutPerGiBSeconds: number,
  dataBytes: number,
): number {
  return completionTimeoutPerGiBSeconds * dataSizeDecimalGigabytes(dataBytes);
}
