//! `hlcviz`: replay a scenario file and print its trace, or check it.
//!
//! Usage and exit codes are in [`HELP`] and `docs/scenario-format.md`.

#![forbid(unsafe_code)]

use hlcviz::encoding::{self, EncodingError};
use hlcviz::logimport::HostOrder;
use hlcviz::report;
use hlcviz::scenario::Scenario;
use hlcviz::sim;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::process::ExitCode;

/// Largest input accepted, in bytes (64 MiB). Larger input is refused.
const MAX_INPUT_BYTES: u64 = hlcviz::scenario::MAX_JSON_BYTES as u64;
/// Longest error message printed (in characters), so a huge string echoed back by
/// the JSON parser cannot flood the terminal.
const MAX_ERROR_CHARS: usize = 400;

/// Everything went well.
const EXIT_OK: u8 = 0;
/// Output could not be written (other than a closed pipe).
const EXIT_OUTPUT: u8 = 1;
/// The input file is unreadable, too large, not UTF-8, not JSON of the right
/// shape, or an invalid scenario.
const EXIT_BAD_INPUT: u8 = 2;
/// The command line itself is wrong (EX_USAGE).
const EXIT_USAGE: u8 = 64;

const HELP: &str = "\
hlcviz - replay a Hybrid Logical Clock scenario and print every clock

Usage:
  hlcviz trace FILE [--table]   replay FILE and print its trace as JSON
                                (format hlcviz-trace/1), or as a text table
  hlcviz check FILE             validate FILE; prints `ok: N nodes, M events`
  hlcviz import LOG [--format F] [-o OUT]
         [--parser RE] [--delimiter RE] [--execution N] [--host-order O]
                                read a log of a real system as a scenario and
                                write its JSON to OUT (default: standard
                                output); notes on stderr. F: hlc (the hlc
                                crate's recorder, hlcviz-log/1), shiviz,
                                govector or otlp (OpenTelemetry traces in
                                OTLP/JSON or the SDK console exporter's JSON,
                                see docs/otel.md); without --format the log's
                                start decides (see docs/instrumenting.md).
                                --parser: a ShiViz parser expression with the
                                groups event, host and clock (and date or
                                timestamp for physical time); --delimiter:
                                ShiViz's multiple-executions delimiter;
                                --execution: which one to open (from 1);
                                O: log, log-reversed, most-events or
                                fewest-events (see docs/log-import.md)
  hlcviz --help | -h            this text
  hlcviz --version | -V         the version

FILE is a scenario in JSON (see docs/scenario-format.md); `-` reads standard
input. Input larger than 64 MiB (67108864 bytes) is refused; it must be UTF-8
(a leading UTF-8 byte-order mark is allowed; UTF-16 is refused).

Exit status:
  0   success (also when the reader closes the output pipe early)
  1   the output could not be written
  2   bad input: unreadable, too large, not UTF-8, not JSON of the scenario
      shape, or an invalid scenario; for import, a log that cannot be read,
      a bad expression, no match or an execution out of range (one line on
      stderr says which and why)
  64  bad usage: unknown command or option, missing or extra FILE
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Version,
    Trace {
        file: String,
        table: bool,
    },
    Check {
        file: String,
    },
    Import {
        file: String,
        format: Option<LogFormat>,
        output: Option<String>,
        options: LogOptions,
    },
}

/// `import`'s options for logs read with a parser expression.
#[derive(Debug, Default, PartialEq, Eq)]
struct LogOptions {
    parser: Option<String>,
    delimiter: Option<String>,
    /// 1-based.
    execution: Option<usize>,
    order: Option<HostOrder>,
}

impl LogOptions {
    fn any(&self) -> bool {
        *self != LogOptions::default()
    }

    /// Whether the log is read with an expression (not the line reader).
    fn matching(&self) -> bool {
        self.parser.is_some() || self.delimiter.is_some() || self.execution.is_some()
    }

    /// Reads `--parser`, `--delimiter`, `--execution`, `--host-order` (also
    /// as `--name=value`); `Ok(false)`: not one of them.
    fn option(
        &mut self,
        name: &str,
        value: &mut dyn FnMut(&str) -> Result<String, UsageError>,
    ) -> Result<bool, UsageError> {
        let (name, inline) = match name.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (name, None),
        };
        let mut get = || inline.clone().map_or_else(|| value(name), Ok);
        match name {
            "--parser" => self.parser = Some(get()?),
            "--delimiter" => self.delimiter = Some(get()?),
            "--execution" => {
                let v = get()?;
                match v.parse::<usize>() {
                    Ok(n) if n >= 1 => self.execution = Some(n),
                    _ => {
                        return Err(UsageError(format!(
                            "--execution needs a number from 1, not '{}'",
                            one_line(&v)
                        )))
                    }
                }
            }
            "--host-order" => {
                let v = get()?;
                self.order = Some(HostOrder::parse(&v).ok_or_else(|| {
                    UsageError(format!(
                        "unknown host order '{}' (expected {})",
                        one_line(&v),
                        HostOrder::NAMES.join(", ")
                    ))
                })?);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The log formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LogFormat {
    /// `hlcviz-log/1`, written by the `hlc` crate's recorder.
    Hlc,
    /// ShiViz's default format.
    Shiviz,
    /// GoVector's (read by the same importer as ShiViz's).
    Govector,
    /// OpenTelemetry traces (OTLP/JSON, or the SDK console exporter's).
    Otlp,
}

impl LogFormat {
    fn parse(value: &str) -> Result<LogFormat, UsageError> {
        match value {
            "hlc" => Ok(LogFormat::Hlc),
            "shiviz" => Ok(LogFormat::Shiviz),
            "govector" => Ok(LogFormat::Govector),
            "otlp" => Ok(LogFormat::Otlp),
            other => Err(UsageError(format!(
                "unknown format '{}' (expected hlc, shiviz, govector or otlp)",
                one_line(other)
            ))),
        }
    }
}

/// A usage problem, printed as one line.
#[derive(Debug, PartialEq, Eq)]
struct UsageError(String);

fn parse_args(args: &[String]) -> Result<Command, UsageError> {
    let mut words: Vec<&str> = Vec::new();
    let mut table = false;
    let mut format: Option<LogFormat> = None;
    let mut output: Option<String> = None;
    let mut options = LogOptions::default();
    let mut only_operands = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let arg = arg.as_str();
        if only_operands || arg == "-" || !arg.starts_with('-') {
            words.push(arg);
            continue;
        }
        let mut value = |name: &str| {
            args.next()
                .map(String::as_str)
                .ok_or_else(|| UsageError(format!("{name} needs a value")))
        };
        if arg.starts_with("--")
            && options.option(arg, &mut |name| value(name).map(str::to_string))?
        {
            continue;
        }
        match arg {
            "--" => only_operands = true,
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--table" => table = true,
            "--format" => format = Some(LogFormat::parse(value("--format")?)?),
            "-o" | "--output" => output = Some(value(arg)?.to_string()),
            other => {
                if let Some(v) = other.strip_prefix("--format=") {
                    format = Some(LogFormat::parse(v)?);
                } else if let Some(v) = other.strip_prefix("--output=") {
                    output = Some(v.to_string());
                } else {
                    return Err(UsageError(format!("unknown option '{}'", one_line(other))));
                }
            }
        }
    }
    let (command, _) = words.split_first().unzip();
    if command != Some(&"import") && (format.is_some() || output.is_some() || options.any()) {
        return Err(UsageError(
            "--format, -o, --parser, --delimiter, --execution and --host-order only go with import"
                .to_string(),
        ));
    }
    if options.matching() && matches!(format, Some(LogFormat::Hlc | LogFormat::Otlp)) {
        return Err(UsageError(
            "--parser, --delimiter and --execution go with --format shiviz or govector".to_string(),
        ));
    }
    let (command, operands) = match words.split_first() {
        Some((command, operands)) => (*command, operands),
        None => {
            return Err(UsageError(
                "missing command (trace, check or import)".to_string(),
            ))
        }
    };
    let file = |name: &str| -> Result<String, UsageError> {
        match operands {
            [file] => Ok((*file).to_string()),
            [] => Err(UsageError(format!(
                "{name}: missing FILE (use - for stdin)"
            ))),
            [_, extra, ..] => Err(UsageError(format!(
                "{name}: unexpected argument '{}'",
                one_line(extra)
            ))),
        }
    };
    match command {
        "trace" => Ok(Command::Trace {
            file: file("trace")?,
            table,
        }),
        "check" if table => Err(UsageError(
            "check: --table only goes with trace".to_string(),
        )),
        "check" => Ok(Command::Check {
            file: file("check")?,
        }),
        "import" if table => Err(UsageError(
            "import: --table only goes with trace".to_string(),
        )),
        "import" => Ok(Command::Import {
            file: file("import")?,
            format,
            output,
            options,
        }),
        "help" => Ok(Command::Help),
        other => Err(UsageError(format!(
            "unknown command '{}' (expected trace, check or import)",
            one_line(other)
        ))),
    }
}

/// Why an input could not be turned into a scenario.
#[derive(Debug)]
enum InputError {
    Read(io::Error),
    TooLarge,
    /// Not text under the shared rule (`hlcviz::encoding`): the page's Import
    /// says the same.
    NotUtf8(EncodingError),
    Empty,
    Load(hlcviz::scenario::LoadError),
    /// A log `import` could not read (the importer's message).
    Import(String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Read(e) => write!(f, "cannot read: {e}"),
            InputError::TooLarge => write!(
                f,
                "input is larger than the limit of 64 MiB ({MAX_INPUT_BYTES} bytes)"
            ),
            InputError::NotUtf8(e) => write!(f, "{e}"),
            InputError::Empty => write!(f, "input is empty (expected a JSON scenario)"),
            InputError::Load(e) => write!(f, "{e}"),
            InputError::Import(e) => write!(f, "{e}"),
        }
    }
}

/// Reads at most `MAX_INPUT_BYTES` (one more to detect excess) from `reader`.
fn read_capped(reader: impl Read) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(InputError::Read)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge);
    }
    Ok(bytes)
}

/// The text of an input: the shared encoding rule (UTF-8, a leading UTF-8
/// byte-order mark stripped; see `hlcviz::encoding`), and not blank.
fn input_text(bytes: &[u8]) -> Result<&str, InputError> {
    let text = encoding::decode_text(bytes).map_err(InputError::NotUtf8)?;
    if text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok(text)
}

fn load(file: &str) -> Result<Scenario, InputError> {
    Scenario::from_json(input_text(&read_input(file)?)?).map_err(InputError::Load)
}

/// The bytes of FILE (`-`: standard input), at most `MAX_INPUT_BYTES`.
fn read_input(file: &str) -> Result<Vec<u8>, InputError> {
    Ok(if file == "-" {
        read_capped(io::stdin().lock())?
    } else {
        let handle = File::open(file).map_err(InputError::Read)?;
        // A file known to be too large is refused without reading it.
        if handle
            .metadata()
            .is_ok_and(|m| m.is_file() && m.len() > MAX_INPUT_BYTES)
        {
            return Err(InputError::TooLarge);
        }
        read_capped(handle)?
    })
}

/// Reads a log as a scenario: the scenario and the lines to print on stderr.
fn import_log(
    file: &str,
    format: Option<LogFormat>,
    options: &LogOptions,
) -> Result<(Scenario, Vec<String>), InputError> {
    let bytes = read_input(file)?;
    let text = input_text(&bytes)?;
    let format = format.unwrap_or(if hlcviz::recorded::is_recorded_log(text) {
        LogFormat::Hlc
    } else if hlcviz::otlp::is_otlp(text) {
        LogFormat::Otlp
    } else {
        LogFormat::Shiviz
    });
    let (mut imported, summary) = match format {
        _ if options.matching() => (
            import_matched(text, format, options)?,
            "a log read with a parser expression",
        ),
        LogFormat::Hlc => {
            let rec =
                hlcviz::recorded::import(text).map_err(|e| InputError::Import(e.to_string()))?;
            (rec.imported, "a recorded (hlcviz-log/1) log")
        }
        LogFormat::Otlp => {
            let traces =
                hlcviz::otlp::import(text).map_err(|e| InputError::Import(e.to_string()))?;
            (traces.imported, "an OpenTelemetry trace")
        }
        _ => (
            hlcviz::shiviz::import(text).map_err(|e| InputError::Import(e.to_string()))?,
            "a ShiViz/GoVector log",
        ),
    };
    if let Some(order) = options.order {
        hlcviz::logimport::reorder(&mut imported.scenario, order);
    }
    let s = &imported.scenario;
    let mut lines = vec![format!(
        "imported {summary}: {} nodes, {} local events, {} messages",
        s.nodes.len(),
        s.events.len(),
        s.messages.len()
    )];
    lines.extend(
        imported
            .skipped
            .iter()
            .map(|k| format!("line {} skipped: {}", k.line, k.reason)),
    );
    lines.extend(imported.notes.iter().map(|n| format!("note: {n}")));
    Ok((imported.scenario, lines))
}

/// Matches a log with `--parser` (default: the format's expression) and
/// `--delimiter`, and builds the execution asked for.
fn import_matched(
    text: &str,
    format: LogFormat,
    options: &LogOptions,
) -> Result<hlcviz::shiviz::Imported, InputError> {
    let default = match format {
        LogFormat::Govector => hlcviz::shiviz::GOVECTOR_REGEX,
        _ => hlcviz::shiviz::SHIVIZ_REGEX,
    };
    let parser = options.parser.as_deref().unwrap_or(default);
    let delimiter = options.delimiter.as_deref().unwrap_or("");
    let error = |e: hlcviz::logimport::LogImportError| InputError::Import(e.to_string());
    let matched = hlcviz::logimport::match_log(text, parser, delimiter).map_err(error)?;
    let execution = options.execution.unwrap_or(1) - 1;
    let built = hlcviz::logimport::build(&matched, execution, HostOrder::Log).map_err(error)?;
    Ok(built.imported)
}

/// `text` on one line: control characters escaped, cut to `MAX_ERROR_CHARS`.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for (count, ch) in text.chars().enumerate() {
        if count == MAX_ERROR_CHARS {
            out.push('…');
            break;
        }
        if ch.is_control() {
            out.extend(ch.escape_default());
        } else {
            out.push(ch);
        }
    }
    out
}

fn display_name(file: &str) -> String {
    if file == "-" {
        "<stdin>".to_string()
    } else {
        one_line(file)
    }
}

/// Writes `output` to stdout. A closed pipe is not an error: the reader has
/// what it wanted.
///
/// A standard output that was closed when the process started (`>&-`) never
/// reaches here as such: the Rust runtime reopens fds 0-2 on `/dev/null`
/// before `main` (rust-lang/rust#75295), so the output is discarded as with
/// `>/dev/null`. See `docs/scenario-format.md`.
fn emit(output: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match output(&mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_OK),
        Err(e) => {
            // Drop the buffer without another doomed flush.
            let (_, _) = out.into_parts();
            eprintln!("hlcviz: cannot write output: {}", one_line(&e.to_string()));
            ExitCode::from(EXIT_OUTPUT)
        }
    }
}

fn run(command: Command) -> ExitCode {
    match command {
        Command::Help => emit(|out| out.write_all(HELP.as_bytes())),
        Command::Version => emit(|out| writeln!(out, "hlcviz {}", env!("CARGO_PKG_VERSION"))),
        Command::Check { file } => match load(&file) {
            Ok(scenario) => emit(|out| {
                writeln!(
                    out,
                    "ok: {} nodes, {} events",
                    scenario.nodes.len(),
                    scenario.event_count()
                )
            }),
            Err(e) => bad_input(&file, &e),
        },
        Command::Import {
            file,
            format,
            output,
            options,
        } => match import_log(&file, format, &options) {
            Ok((scenario, lines)) => {
                for line in &lines {
                    eprintln!("hlcviz: {}", one_line(line));
                }
                let json = scenario.to_json() + "\n";
                match output.as_deref() {
                    None | Some("-") => emit(|out| out.write_all(json.as_bytes())),
                    Some(path) => match std::fs::write(path, json) {
                        Ok(()) => ExitCode::from(EXIT_OK),
                        Err(e) => {
                            eprintln!(
                                "hlcviz: cannot write {}: {}",
                                one_line(path),
                                one_line(&e.to_string())
                            );
                            ExitCode::from(EXIT_OUTPUT)
                        }
                    },
                }
            }
            Err(e) => bad_input(&file, &e),
        },
        Command::Trace { file, table } => match load(&file) {
            Ok(scenario) => {
                // `from_json` has validated the scenario.
                let trace = sim::replay_valid(&scenario);
                if table {
                    emit(|out| out.write_all(report::trace_table(&scenario, &trace).as_bytes()))
                } else {
                    emit(|out| {
                        report::write_trace_json(&scenario, &trace, &mut *out, true)
                            .map_err(io::Error::from)?;
                        writeln!(out)
                    })
                }
            }
            Err(e) => bad_input(&file, &e),
        },
    }
}

fn bad_input(file: &str, error: &InputError) -> ExitCode {
    eprintln!(
        "hlcviz: {}: {}",
        display_name(file),
        one_line(&error.to_string())
    );
    ExitCode::from(EXIT_BAD_INPUT)
}

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect::<Result<_, _>>()
    {
        Ok(args) => args,
        Err(bad) => {
            eprintln!(
                "hlcviz: argument '{}' is not UTF-8; try 'hlcviz --help'",
                one_line(&bad.to_string_lossy())
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match parse_args(&args) {
        Ok(command) => run(command),
        Err(UsageError(problem)) => {
            eprintln!("hlcviz: {problem}; try 'hlcviz --help'");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, UsageError> {
        parse_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_commands_and_options_in_any_order() {
        let trace = |file: &str, table| Command::Trace {
            file: file.to_string(),
            table,
        };
        assert_eq!(parse(&["trace", "x.json"]), Ok(trace("x.json", false)));
        assert_eq!(parse(&["trace", "--table", "-"]), Ok(trace("-", true)));
        assert_eq!(parse(&["--table", "trace", "x"]), Ok(trace("x", true)));
        assert_eq!(
            parse(&["trace", "--", "--table"]),
            Ok(trace("--table", false))
        );
        assert_eq!(
            parse(&["check", "-"]),
            Ok(Command::Check { file: "-".into() })
        );
        assert_eq!(parse(&["trace", "x", "--help"]), Ok(Command::Help));
        assert_eq!(parse(&["-V"]), Ok(Command::Version));
        assert_eq!(
            parse(&["import", "x.log", "--format", "hlc", "-o", "out.json"]),
            Ok(Command::Import {
                file: "x.log".into(),
                format: Some(LogFormat::Hlc),
                output: Some("out.json".into()),
                options: LogOptions::default(),
            })
        );
        assert_eq!(
            parse(&["--format=govector", "import", "-"]),
            Ok(Command::Import {
                file: "-".into(),
                format: Some(LogFormat::Govector),
                output: None,
                options: LogOptions::default(),
            })
        );
        assert_eq!(
            parse(&[
                "import",
                "x",
                "--parser",
                "(?<a>)",
                "--delimiter=^==$",
                "--execution",
                "2",
                "--host-order",
                "most-events"
            ]),
            Ok(Command::Import {
                file: "x".into(),
                format: None,
                output: None,
                options: LogOptions {
                    parser: Some("(?<a>)".into()),
                    delimiter: Some("^==$".into()),
                    execution: Some(2),
                    order: Some(HostOrder::MostEvents),
                },
            })
        );
    }

    #[test]
    fn rejects_bad_usage() {
        for args in [
            &[][..],
            &["trace"],
            &["trace", "a", "b"],
            &["frobnicate", "x"],
            &["trace", "x", "--tabel"],
            &["check", "x", "--table"],
            &["import", "x", "--format", "xml"],
            &["import", "x", "--format"],
            &["import", "x", "-o"],
            &["trace", "x", "-o", "y"],
            &["import"],
            &["import", "x", "--execution", "0"],
            &["import", "x", "--execution", "two"],
            &["import", "x", "--host-order", "random"],
            &["import", "x", "--parser"],
            &["trace", "x", "--parser", "y"],
            &["import", "x", "--format", "hlc", "--parser", "y"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }

    #[test]
    fn error_text_stays_on_one_short_line() {
        assert_eq!(one_line("a\nb\tc"), "a\\nb\\tc");
        let long = "x".repeat(10_000);
        assert_eq!(one_line(&long).chars().count(), MAX_ERROR_CHARS + 1);
    }

    /// `read_capped` then `input_text`, as `load` does.
    fn text_of(reader: impl Read) -> Result<String, InputError> {
        let bytes = read_capped(reader)?;
        input_text(&bytes).map(str::to_string)
    }

    #[test]
    fn caps_the_input() {
        let big = io::repeat(b' ').take(MAX_INPUT_BYTES + 10);
        assert!(matches!(text_of(big), Err(InputError::TooLarge)));
        let exact = io::repeat(b' ').take(MAX_INPUT_BYTES);
        assert_eq!(
            read_capped(exact).map(|b| b.len() as u64).ok(),
            Some(MAX_INPUT_BYTES)
        );
        assert!(matches!(text_of(&b""[..]), Err(InputError::Empty)));
        assert!(matches!(
            text_of(&b"{\xff}"[..]),
            Err(InputError::NotUtf8(EncodingError::NotUtf8 { offset: 1 }))
        ));
        assert!(matches!(
            text_of(&b"\xff\xfe{\x00}\x00"[..]),
            Err(InputError::NotUtf8(EncodingError::Utf16))
        ));
        assert!(matches!(
            text_of("\u{feff} \n".as_bytes()),
            Err(InputError::Empty)
        ));
        assert_eq!(text_of("\u{feff}{}".as_bytes()).ok().as_deref(), Some("{}"));
    }

    #[test]
    fn encoding_errors_read_as_the_shared_message() {
        let e = InputError::NotUtf8(EncodingError::NotUtf8 { offset: 3 });
        assert_eq!(
            e.to_string(),
            EncodingError::NotUtf8 { offset: 3 }.to_string()
        );
        assert_eq!(
            InputError::NotUtf8(EncodingError::Utf16).to_string(),
            "is UTF-16 text; save it as UTF-8 and try again"
        );
    }
}
