//! Three real OS processes on 127.0.0.1 exchange UDP datagrams, each carrying
//! the sender's HLC stamp, each with a wall-clock offset injected, each
//! recording its events with `hlc::recorder`.
//!
//! ```sh
//! cargo run --example udp_cluster -- OUT_DIR [--offsets 0,40,-25] [--messages 15]
//! hlcviz import OUT_DIR/cluster.jsonl -o cluster.json   # or open it on the page
//! ```
//!
//! The coordinator (this command) starts three copies of itself as hosts `a`,
//! `b` and `c`. Each binds an ephemeral UDP port on 127.0.0.1 and prints it;
//! the coordinator sends each host the others' ports on its standard input.
//! Each host then sends `--messages` datagrams to each peer, interleaved, with
//! a few local events, and receives as many from each peer; it writes its log
//! to `OUT_DIR/<host>.jsonl`. The coordinator concatenates the three into
//! `OUT_DIR/cluster.jsonl`, one file the page and `hlcviz import` read.
//!
//! Everything is bounded: a host gives up 10 s after it started (a peer died,
//! a datagram was lost) and the coordinator kills hosts still running after
//! 20 s. Exit status: 0 done, 1 a host failed, 2 bad usage.
//!
//! Two things make the recorded run draw exactly on the page, whose time unit
//! is the millisecond: every datagram is held 5 to 8 ms before it is sent
//! (a simulated network latency, so no message arrives within the same
//! millisecond of real time it left in), and a host waits for its clock's
//! millisecond to change before recording an event (the page puts one event
//! per node per millisecond).

use hlc::recorder::{millis, wall_clock_ns, Recorder, Stamp};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const HOSTS: [&str; 3] = ["a", "b", "c"];
const HOST_DEADLINE: Duration = Duration::from_secs(10);
const CLUSTER_DEADLINE: Duration = Duration::from_secs(20);
/// Largest datagram read; a stamp of three hosts is about 100 bytes.
const MAX_DATAGRAM: usize = 2048;

const USAGE: &str = "usage: udp_cluster OUT_DIR [--offsets MS,MS,MS] [--messages N]";

/// A small deterministic generator (so runs differ only by scheduling).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("--role") {
        host_main(&args)
    } else {
        match coordinator_args(&args) {
            Ok((dir, offsets, messages)) => coordinate(&dir, offsets, messages),
            Err(e) => {
                eprintln!("udp_cluster: {e}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("udp_cluster: {e}");
            ExitCode::from(1)
        }
    }
}

fn coordinator_args(args: &[String]) -> Result<(PathBuf, [i64; 3], u32), String> {
    let mut dir = None;
    let mut offsets = [0, 40, -25];
    let mut messages = 15;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--offsets" => {
                let value = it.next().ok_or("--offsets needs a value")?;
                let parsed: Result<Vec<i64>, _> = value.split(',').map(str::parse).collect();
                offsets = parsed
                    .ok()
                    .and_then(|v| <[i64; 3]>::try_from(v).ok())
                    .filter(|v| v.iter().all(|o| o.abs() <= 86_400_000))
                    .ok_or("--offsets takes three integers (ms, at most a day each)")?;
            }
            "--messages" => {
                let value = it.next().ok_or("--messages needs a value")?;
                messages = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or("--messages takes 1 to 1000")?;
            }
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            other if dir.is_none() => dir = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    Ok((dir.ok_or("missing OUT_DIR")?, offsets, messages))
}

/// Starts the hosts, tells each the others' ports, waits, concatenates.
fn coordinate(dir: &Path, offsets: [i64; 3], messages: u32) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
    let mut children: Vec<Child> = Vec::new();
    let result = run_hosts(&exe, dir, offsets, messages, &mut children);
    // Never leave a host behind, whatever happened.
    for child in &mut children {
        if matches!(child.try_wait(), Ok(None)) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
    result?;
    let mut all = Vec::new();
    for name in HOSTS {
        let path = dir.join(format!("{name}.jsonl"));
        all.extend(std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let path = dir.join("cluster.jsonl");
    std::fs::write(&path, all).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn run_hosts(
    exe: &Path,
    dir: &Path,
    offsets: [i64; 3],
    messages: u32,
    children: &mut Vec<Child>,
) -> Result<(), String> {
    let mut ports = Vec::new();
    for (name, offset) in HOSTS.iter().zip(offsets) {
        let mut child = Command::new(exe)
            .args(["--role", name, "--offset-ms", &offset.to_string()])
            .args(["--messages", &messages.to_string()])
            .arg("--out")
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start host {name}: {e}"))?;
        let stdout = child.stdout.take();
        children.push(child);
        let mut line = String::new();
        if let Some(out) = stdout {
            BufReader::new(out)
                .read_line(&mut line)
                .map_err(|e| format!("host {name}: {e}"))?;
        }
        let port: u16 = line
            .trim()
            .strip_prefix("port ")
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| format!("host {name} did not say its port (it said {line:?})"))?;
        ports.push(port);
    }
    let peers: Vec<String> = HOSTS
        .iter()
        .zip(&ports)
        .map(|(name, port)| format!("{name}={port}"))
        .collect();
    for child in children.iter_mut() {
        if let Some(mut stdin) = child.stdin.take() {
            writeln!(stdin, "{}", peers.join(",")).map_err(|e| format!("a host: {e}"))?;
        }
    }
    let started = Instant::now();
    let mut failed = Vec::new();
    for (name, child) in HOSTS.iter().zip(children.iter_mut()) {
        loop {
            match child.try_wait() {
                Ok(Some(status)) => {
                    if !status.success() {
                        failed.push(format!("host {name} exited with {status}"));
                    }
                    break;
                }
                Ok(None) if started.elapsed() > CLUSTER_DEADLINE => {
                    return Err(format!(
                        "host {name} still running after {CLUSTER_DEADLINE:?}"
                    ));
                }
                Ok(None) => sleep(Duration::from_millis(20)),
                Err(e) => return Err(format!("host {name}: {e}")),
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("; "))
    }
}

/// One host: `--role NAME --offset-ms X --messages N --out DIR`.
fn host_main(args: &[String]) -> Result<(), String> {
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|k| args.get(k + 1))
            .ok_or(format!("host: missing {flag}"))
    };
    let name = value("--role")?.clone();
    let offset_ms: i64 = value("--offset-ms")?
        .parse()
        .map_err(|_| "host: --offset-ms takes an integer")?;
    let messages: u32 = value("--messages")?
        .parse()
        .map_err(|_| "host: --messages takes an integer")?;
    let out = PathBuf::from(value("--out")?);

    let socket = UdpSocket::bind("127.0.0.1:0").map_err(|e| format!("{name}: bind: {e}"))?;
    let port = socket.local_addr().map_err(|e| e.to_string())?.port();
    println!("port {port}");
    io::stdout().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("{name}: {e}"))?;
    let peers: Vec<(String, SocketAddr)> = line
        .trim()
        .split(',')
        .filter_map(|entry| {
            let (peer, port) = entry.split_once('=')?;
            let port: u16 = port.parse().ok()?;
            (peer != name).then(|| (peer.to_string(), SocketAddr::from(([127, 0, 0, 1], port))))
        })
        .collect();
    if peers.len() != HOSTS.len() - 1 {
        return Err(format!("{name}: expected two peers, got {line:?}"));
    }

    let path = out.join(format!("{name}.jsonl"));
    let file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut host = Host {
        rec: Recorder::new(name.clone(), BufWriter::new(file)).map_err(|e| e.to_string())?,
        offset_ns: offset_ms * 1_000_000,
        last_ms: i64::MIN,
    };
    let result = exchange(&mut host, &socket, &peers, messages);
    host.rec.flush().map_err(|e| format!("{name}: {e}"))?;
    result.map_err(|e| format!("{name}: {e}"))
}

struct Host {
    rec: Recorder<BufWriter<File>>,
    offset_ns: i64,
    last_ms: i64,
}

impl Host {
    /// The host's clock, once its millisecond has moved past the last
    /// event's.
    fn next_reading(&mut self) -> i64 {
        loop {
            let wall = wall_clock_ns(self.offset_ns);
            if millis(wall) > self.last_ms {
                self.last_ms = millis(wall);
                return wall;
            }
            sleep(Duration::from_micros(100));
        }
    }
}

fn exchange(
    host: &mut Host,
    socket: &UdpSocket,
    peers: &[(String, SocketAddr)],
    messages: u32,
) -> Result<(), String> {
    let started = Instant::now();
    let to_send = messages as usize * peers.len();
    let expected = to_send;
    let (mut sent, mut received) = (0usize, 0usize);
    let mut rng = Lcg(host.rec.host().bytes().map(u64::from).sum());
    let mut next_send = Instant::now();
    let mut buf = [0u8; MAX_DATAGRAM];
    let reading = host.next_reading();
    host.rec
        .local(reading, Some("start"))
        .map_err(|e| e.to_string())?;
    while sent < to_send || received < expected {
        if started.elapsed() > HOST_DEADLINE {
            return Err(format!(
                "gave up after {HOST_DEADLINE:?}: sent {sent} of {to_send}, received {received} of {expected}"
            ));
        }
        let now = Instant::now();
        if sent < to_send && now >= next_send {
            let (peer, addr) = &peers[sent % peers.len()];
            if sent % 5 == 4 {
                let reading = host.next_reading();
                host.rec
                    .local(reading, Some("work"))
                    .map_err(|e| e.to_string())?;
            }
            let reading = host.next_reading();
            let stamp = host
                .rec
                .send(reading, Some(&format!("to {peer}")))
                .map_err(|e| e.to_string())?;
            // The simulated network latency.
            sleep(Duration::from_micros(5_000 + rng.below(3_000)));
            socket
                .send_to(stamp.to_json().as_bytes(), addr)
                .map_err(|e| format!("send to {peer}: {e}"))?;
            sent += 1;
            next_send = Instant::now() + Duration::from_micros(4_000 + rng.below(8_000));
            continue;
        }
        let wait = if sent < to_send {
            next_send.saturating_duration_since(now)
        } else {
            Duration::from_millis(50)
        };
        socket
            .set_read_timeout(Some(wait.max(Duration::from_millis(1))))
            .map_err(|e| e.to_string())?;
        match socket.recv_from(&mut buf) {
            Ok((len, from)) => {
                if !peers.iter().any(|(_, addr)| *addr == from) {
                    continue;
                }
                // A datagram is outside input: a bad stamp is reported and
                // dropped, never trusted.
                match Stamp::from_json(&buf[..len]) {
                    Ok(stamp) => {
                        let reading = host.next_reading();
                        host.rec
                            .recv(reading, &stamp, None)
                            .map_err(|e| e.to_string())?;
                        received += 1;
                    }
                    Err(e) => eprintln!("{}: dropped a datagram from {from}: {e}", host.rec.host()),
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::ConnectionRefused
                        | io::ErrorKind::ConnectionReset
                ) => {}
            Err(e) => return Err(format!("receive: {e}")),
        }
    }
    let reading = host.next_reading();
    host.rec
        .local(reading, Some("done"))
        .map_err(|e| e.to_string())?;
    Ok(())
}
