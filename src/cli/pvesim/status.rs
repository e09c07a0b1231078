//! `pvesim status`: the lab at a glance: the state root, the acting node,
//! the clock, the cluster, segments, and per machine its power, network,
//! tree, partition and quorum view.

use crate::cli::{CliResult, Context};
use crate::cluster::{self, ClusterState, Tree};
use crate::sim::hardware::Hardware;

/// Show machines, power, network, partitions and quorum views.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> CliResult {
    let root = ctx.store_root()?;
    println!("root:     {}", root.path().display());
    if !root.exists() {
        println!("(not initialised - run 'pvesim init')");
        return Ok(());
    }
    match root.acting_node(ctx.node.as_deref()) {
        Ok(n) => println!("node:     {n}"),
        Err(_) => println!("node:     (none)"),
    }
    let now = crate::sim::clock::now(&root)?;
    println!(
        "clock:    {now} ({})",
        crate::cli::pvecm::status::ctime(now, ctx.tz.as_deref())
    );
    println!(
        "version:  Proxmox VE {}",
        crate::sim::version::pve_version(&root)?
    );
    let hw = Hardware::load(&root)?;
    let st = ClusterState::load(&root)?;
    let members = cluster::members(&root)?;
    match crate::cluster::ops::cluster_name(&root)? {
        Some(n) => {
            let v = crate::cluster::quorum::shared_conf(&root)?
                .and_then(|c| crate::format::corosync::config_version(&c))
                .unwrap_or(0);
            println!(
                "cluster:  {n} (config version {v}, {} node(s))",
                members.len()
            );
        }
        None => println!("cluster:  (none)"),
    }
    if hw.segments.is_empty() {
        println!("network:  one segment");
    } else {
        let segs: Vec<String> = hw.segments.iter().map(|g| g.join(",")).collect();
        let q = hw
            .qnetd_only_with
            .as_ref()
            .map(|n| format!(" (qnetd only with {n})"))
            .unwrap_or_default();
        println!("network:  split {}{q}", segs.join(" | "));
    }
    println!();
    let mut rows: Vec<[String; 9]> = vec![[
        "machine".into(),
        "addresses".into(),
        "power".into(),
        "network".into(),
        "role".into(),
        "partition".into(),
        "quorate".into(),
        "E/T/Q".into(),
        "qdevice".into(),
    ]];
    for m in &hw.machines {
        let s = st.node(&m.name).cloned().unwrap_or_default();
        let onoff = |b: bool| if b { "on" } else { "off" }.to_string();
        let nodeid = members.iter().find(|x| x.name == m.name).map(|x| x.nodeid);
        let role = if m.qnetd {
            "qnetd".to_string()
        } else {
            match s.tree {
                Tree::Standalone => "standalone".into(),
                Tree::None => "removed".into(),
                Tree::Cluster => match nodeid {
                    Some(id) => format!("member {id}"),
                    None => "not in nodelist".into(),
                },
            }
        };
        let running = s.tree == Tree::Cluster && s.running && m.powered;
        let partition = if running {
            s.partition
                .iter()
                .map(|n| {
                    members
                        .iter()
                        .find(|x| &x.name == n)
                        .map(|x| x.nodeid.to_string())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(",")
        } else {
            "-".into()
        };
        let quorate = if m.qnetd || !m.powered {
            "-".to_string()
        } else {
            match s.tree {
                Tree::Standalone => "yes".into(),
                Tree::None => "-".into(),
                Tree::Cluster => if running && s.quorate { "yes" } else { "no" }.into(),
            }
        };
        let etq = if running {
            format!("{}/{}/{}", s.expected, s.total, s.quorum)
        } else {
            "-".into()
        };
        let qd = if running && s.qdevice_enabled {
            format!(
                "{},{}",
                if s.qdevice_alive { "A" } else { "NA" },
                if s.qdevice_cast { "V" } else { "NV" }
            )
        } else {
            "-".into()
        };
        rows.push([
            m.name.clone(),
            m.addresses.join(","),
            onoff(m.powered),
            onoff(m.network),
            role,
            partition,
            quorate,
            etq,
            qd,
        ]);
    }
    let widths: Vec<usize> = (0..9)
        .map(|i| rows.iter().map(|r| r[i].len()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
    Ok(())
}
