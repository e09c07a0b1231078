//! The pvecm operations: create, add (join), addnode, delnode, expected,
//! qdevice setup/remove, updatecerts, keygen. Each returns the lines the
//! command prints on stdout (and, for a few, on stderr) so that the CLI only
//! renders.
