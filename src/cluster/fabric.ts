import { FlowNetwork, type Link, type Simulation } from '../../sim/index.ts';
import type { Scenario } from '../scenario/types.ts';

export type NetworkName = 'management' | 'storage' | 'migration';

interface NodeLinks {
  readonly transmit: Link;
  readonly receive: Link;
}

/**
 * The links data crosses: per node, a transmit and a receive link on the management network (NIC
 * capacity, bounded by the management network's) and, when configured, on the storage network and
 * on the VM migration network (Harvester `vm-migration-network`); per disk, a write link. Live migrations, rebuilds and backups are flows over these links, so they
 * share bandwidth max-min fairly.
 */
export class Fabric {
  readonly net: FlowNetwork;
  private readonly management = new Map<string, NodeLinks>();
  private readonly storage = new Map<string, NodeLinks>();
  private readonly migration = new Map<string, NodeLinks>();
  private readonly disks = new Map<string, Link>();
  /**
   * Network partitions: per cut-off node, the side it is on (absent: the main side). Nodes on
   * different sides exchange no packets; empty (the usual case) costs one size check per query.
   */
  private readonly side = new Map<string, number>();
  private nextSide = 1;
  /** Capacities links were built with, kept when a fault changes them. */
  private readonly builtCapacity = new Map<Link, number>();

  constructor(sim: Simulation, scenario: Scenario) {
    this.net = new FlowNetwork(sim);
    const managementBytesPerSecond = scenario.networks.management.bandwidthBytesPerSecond;
    for (const node of scenario.nodes) {
      const nic = Math.min(node.nicBandwidthBytesPerSecond, managementBytesPerSecond);
      this.management.set(node.name, this.pair(`${node.name}/mgmt`, nic));
      if (scenario.networks.storage !== null) {
        this.storage.set(
          node.name,
          this.pair(`${node.name}/storage`, scenario.networks.storage.bandwidthBytesPerSecond),
        );
      }
      const migrationNetwork = scenario.networks.migration;
      if (migrationNetwork !== null && migrationNetwork !== undefined) {
        this.migration.set(
          node.name,
          this.pair(`${node.name}/migration`, migrationNetwork.bandwidthBytesPerSecond),
        );
      }
      for (const disk of node.disks) {
        this.disks.set(
          `${node.name}/${disk.name}`,
          this.net.addLink(`${node.name}/disk/${disk.name}`, disk.writeBytesPerSecond),
        );
      }
    }
  }

  /** True when replication has its own network. */
  get hasStorageNetwork(): boolean {
    return this.storage.size > 0;
  }

  /** True when live migrations have their own network. */
  get hasMigrationNetwork(): boolean {
    return this.migration.size > 0;
  }

  /**
   * Links a transfer from `from` to `to` crosses; `storage` and `migration` fall back to management
   * without a network of their own. Concurrent transfers on a path share its links max-min fairly.
   */
  path(from: string, to: string, network: NetworkName): Link[] {
    const links =
      network === 'storage' && this.hasStorageNetwork
        ? this.storage
        : network === 'migration' && this.hasMigrationNetwork
          ? this.migration
          : this.management;
    const source = links.get(from);
    const target = links.get(to);
    if (source === undefined || target === undefined)
      throw new Error(`no ${network} path from ${from} to ${to}`);
    return from === to ? [] : [source.transmit, target.receive];
  }

  /**
   * A fault: the node's links on `network` (both directions) run at `bytesPerSecond`, or back at
   * their built capacity with null. False when the scenario has no such network of its own.
   */
  setNodeBandwidth(node: string, network: NetworkName, bytesPerSecond: number | null): boolean {
    const links =
      network === 'storage' ? this.storage : network === 'migration' ? this.migration : this.management;
    const pair = links.get(node);
    if (pair === undefined) return false;
    for (const link of [pair.transmit, pair.receive]) {
      if (!this.builtCapacity.has(link)) this.builtCapacity.set(link, link.capacityBytesPerSecond);
      this.net.setLinkCapacity(link, bytesPerSecond ?? (this.builtCapacity.get(link) as number));
    }
    return true;
  }

  /** True while some partition holds. */
  get partitioned(): boolean {
    return this.side.size > 0;
  }

  /** Whether packets pass between the two nodes (a node always reaches itself). */
  reachable(a: string, b: string): boolean {
    return this.side.size === 0 || (this.side.get(a) ?? 0) === (this.side.get(b) ?? 0);
  }

  /**
   * A fault: `nodes` (known to the scenario, none already cut off) form a side of their own, cut
   * off from every other node. Returns the side's number, for `heal`.
   */
  partition(nodes: readonly string[]): number {
    for (const node of nodes) {
      if (!this.management.has(node)) throw new Error(`no node ${node} to partition`);
      if (this.side.has(node)) throw new Error(`node ${node} is already partitioned`);
    }
    const side = this.nextSide++;
    for (const node of nodes) this.side.set(node, side);
    return side;
  }

  /** The nodes of `side` reach the others again; returns them. */
  heal(side: number): string[] {
    const nodes = [...this.side].filter(([, s]) => s === side).map(([node]) => node);
    for (const node of nodes) this.side.delete(node);
    return nodes;
  }

  /** Whether the node is cut off from the main side. */
  isCutOff(node: string): boolean {
    return this.side.has(node);
  }

  /** The write link of one disk of a node. */
  disk(node: string, diskName: string): Link {
    const link = this.disks.get(`${node}/${diskName}`);
    if (link === undefined) throw new Error(`no disk ${diskName} on node ${node}`);
    return link;
  }

  private pair(name: string, bytesPerSecond: number): NodeLinks {
    return {
      transmit: this.net.addLink(`${name}/tx`, bytesPerSecond),
      receive: this.net.addLink(`${name}/rx`, bytesPerSecond),
    };
  }
}
