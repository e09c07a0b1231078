//! `pvecm status` and `pvecm nodes`: the cluster information block and the
//! text of `corosync-quorumtool -siH` / `-l` (spec A.7, A.8).

use crate::cli::{CliError, CliResult, Context};
use crate::cluster::{self, ClusterError, QuorumView};
use crate::format::corosync;
use crate::store::Root;
use std::fmt::Write as _;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// C `ctime` layout (`Mon Mar  4 10:15:02 2024`) in the zone named by `TZ`.
pub fn ctime(t: i64, tz: Option<&str>) -> String {
    let zone = crate::replication::localtime::Zone::from_tz(tz);
    let c = zone.to_local(t);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        WEEKDAYS[c.weekday() as usize],
        MONTHS[(c.month - 1) as usize],
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

/// The Cluster information block (or the parse warning when unreadable).
fn cluster_block(text: &str) -> Result<String, String> {
    let conf = corosync::parse(text).map_err(|e| e.to_string())?;
    let totem = conf.section("totem").cloned().unwrap_or_default();
    let mut s = String::new();
    s.push_str("Cluster information\n-------------------\n");
    let _ = writeln!(
        s,
        "{:<18}{}",
        "Name:",
        totem.get("cluster_name").unwrap_or("UNKOWN?")
    );
    let _ = writeln!(
        s,
        "{:<18}{}",
        "Config Version:",
        totem.get("config_version").unwrap_or("-1")
    );
    let _ = writeln!(
        s,
        "{:<18}{}",
        "Transport:",
        totem.get("transport").unwrap_or("knet")
    );
    let _ = writeln!(
        s,
        "{:<18}{}",
        "Secure auth:",
        totem.get("secauth").unwrap_or("off")
    );
    s.push('\n');
    Ok(s)
}

fn membership(v: &QuorumView, hex: bool) -> String {
    let mut s = String::from("Membership information\n----------------------\n");
    s.push_str("    Nodeid      Votes ");
    if v.qdevice_column {
        s.push_str("   Qdevice ");
    }
    s.push_str("Name\n");
    let id = |n: u32| {
        if hex {
            format!("0x{n:08x} ")
        } else {
            format!("{n:>10} ")
        }
    };
    for m in &v.members {
        s.push_str(&id(m.nodeid));
        let _ = write!(s, "{:>10} ", m.votes);
        if v.qdevice_column {
            let _ = write!(s, "{:>10} ", m.qdevice);
        }
        s.push_str(if hex { &m.ip } else { &m.name });
        if m.local {
            s.push_str(" (local)");
        }
        s.push('\n');
    }
    if v.qdevice_column {
        if let Some((qv, cast)) = v.qdevice {
            s.push_str(&id(0));
            let _ = write!(s, "{:>10} ", if cast { qv } else { 0 });
            s.push_str("           Qdevice");
            if !cast {
                let _ = write!(s, " (votes {qv})");
            }
            s.push('\n');
        }
    }
    s
}

/// The text of `pvecm status` for a view.
pub fn render_status(v: &QuorumView, date: &str) -> String {
    let mut s = String::from("Quorum information\n------------------\n");
    let _ = writeln!(s, "{:<18}{date}", "Date:");
    let _ = writeln!(s, "{:<18}corosync_votequorum", "Quorum provider:");
    let _ = writeln!(s, "{:<18}{}", "Nodes:", v.members.len());
    let _ = writeln!(s, "{:<18}0x{:08x}", "Node ID:", v.nodeid);
    let _ = writeln!(s, "{:<18}{:x}.{:x}", "Ring ID:", v.ring_rep, v.ring_seq);
    let _ = writeln!(
        s,
        "{:<18}{}",
        "Quorate:",
        if v.quorate { "Yes" } else { "No" }
    );
    s.push_str("\nVotequorum information\n----------------------\n");
    let _ = writeln!(s, "{:<18}{}", "Expected votes:", v.expected);
    let _ = writeln!(s, "{:<18}{}", "Highest expected:", v.highest_expected);
    let _ = writeln!(s, "{:<18}{}", "Total votes:", v.total);
    let _ = writeln!(
        s,
        "{:<18}{} {}",
        "Quorum:",
        v.quorum,
        if v.quorate { " " } else { "Activity blocked" }
    );
    s.push_str(&format!("{:<18}", "Flags:"));
    for f in &v.flags {
        s.push_str(f);
        s.push(' ');
    }
    s.push('\n');
    s.push('\n');
    s.push_str(&membership(v, true));
    s
}

/// `pvecm status`: exit 0 quorate, 2 not quorate, 1 without corosync.
pub fn status(ctx: &Context, root: &Root, node: &str) -> CliResult {
    let pve = cluster::pve_for(root, node)?;
    let Some(text) = pve.read("corosync.conf")? else {
        return Err(ClusterError::NotInCluster.into());
    };
    match cluster_block(&text) {
        Ok(b) => print!("{b}"),
        Err(e) => eprintln!("{e}"),
    }
    let v = match cluster::view(root, node) {
        Ok(v) => v,
        Err(ClusterError::NoCorosync) => return Err(ClusterError::NoCorosync.into()),
        Err(e) => return Err(e.into()),
    };
    let now = crate::sim::clock::now(root)?;
    print!("{}", render_status(&v, &ctime(now, ctx.tz.as_deref())));
    if v.quorate {
        Ok(())
    } else {
        Err(CliError::with_code("", 2))
    }
}

/// `pvecm nodes`.
pub fn nodes(root: &Root, node: &str) -> CliResult {
    let pve = cluster::pve_for(root, node)?;
    if pve.read("corosync.conf")?.is_none() {
        return Err(ClusterError::NotInCluster.into());
    }
    let v = cluster::view(root, node)?;
    print!("\n{}", membership(&v, false));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctime_layout() {
        // 2024-03-04 10:15:02 UTC, a Monday.
        assert_eq!(ctime(1709547302, None), "Mon Mar  4 10:15:02 2024");
    }
}
