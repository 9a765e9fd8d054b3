/** A small valid plan as YAML text, for tests that break one thing at a time. */
export const minimalPlanYaml = `name: minimal
steps:
  - step: vm.stop
    vms: all
    waitFor:
      - { condition: no-vmis, timeout: 10m }
  - step: node.shutdown
    nodes: ['@etcd-follower', node-1]
    mode: graceful
  - step: etcd.move-leader
    to: off-witness
  - step: wait-for
    condition: nodes-ready
    group: etcd
    timeout: 15m
  - step: sleep
    duration: 3m
`;
