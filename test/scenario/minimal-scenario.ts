/** A small valid scenario as YAML text, for tests that break one thing at a time. */
export const minimalScenarioYaml = `name: minimal
harvesterVersion: 1.3.0
vip:
  address: 10.0.0.100
nodes:
  - name: node-1
    role: management
    cpu: 8
    memory: 32Gi
    disks: [{ name: sda, size: 500Gi }]
    ip: { mode: static, address: 10.0.0.1 }
  - name: node-2
    role: management
    cpu: 8
    memory: 32Gi
    disks: [{ name: sda, size: 500Gi }]
    ip: { mode: static, address: 10.0.0.2 }
  - name: node-3
    role: witness
    cpu: 4
    memory: 8Gi
    disks: [{ name: sda, size: 100Gi, longhorn: false }]
    ip: { mode: static, address: 10.0.0.3 }
vms:
  - namespace: default
    name: vm1
    cpu: 2
    memory: 4Gi
    volumes: [vm1-disk]
volumes:
  - { namespace: default, name: vm1-disk, size: 10Gi, replicas: 2 }
`;
