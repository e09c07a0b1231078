//! Cluster membership, partitions, votequorum and qdevice math, and the
//! pvecm operations (create, add, addnode, delnode, expected, qdevice).
