//! The SVG export: a well-formed standalone document that draws what the canvas
//! draws, with every stranger-supplied string kept as text.
//!
//! The documents are read back with a small strict XML 1.0 reader written here
//! (elements, quoted attributes, character data and the five predefined and
//! numeric references; no comments, CDATA, DTDs or processing instructions
//! other than the XML declaration, which the exporter never writes).

use hlcviz::app::{default_scenario, App};
use hlcviz::scenario::{LocalEvent, Message, Scenario};
use hlcviz::scene::{Align, Draw};
use hlcviz::svg::{app_to_svg, to_svg, FONT_FAMILY};

// ---------------------------------------------------------------- XML reader

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// This element and all below it, document order.
    fn descendants(&self) -> Vec<&Element> {
        let mut all = vec![self];
        for child in &self.children {
            if let Node::Element(e) = child {
                all.extend(e.descendants());
            }
        }
        all
    }

    fn named(&self, name: &str) -> Vec<&Element> {
        self.descendants()
            .into_iter()
            .filter(|e| e.name == name)
            .collect()
    }

    fn text(&self) -> String {
        let mut s = String::new();
        for child in &self.children {
            match child {
                Node::Text(t) => s.push_str(t),
                Node::Element(e) => s.push_str(&e.text()),
            }
        }
        s
    }
}

struct Reader<'a> {
    src: &'a str,
    pos: usize,
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{d7ff}').contains(&c)
        || ('\u{e000}'..='\u{fffd}').contains(&c)
        || c >= '\u{10000}'
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.'
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn fail<T>(&self, what: &str) -> Result<T, String> {
        let context: String = self.rest().chars().take(40).collect();
        Err(format!("{what} at byte {}: {context:?}", self.pos))
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, s: &str) -> Result<(), String> {
        if self.eat(s) {
            Ok(())
        } else {
            self.fail(&format!("expected {s:?}"))
        }
    }

    fn skip_space(&mut self) -> bool {
        let before = self.pos;
        while let Some(c) = self.rest().chars().next() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.pos > before
    }

    fn name(&mut self) -> Result<String, String> {
        let mut chars = self.rest().char_indices();
        match chars.next() {
            Some((_, c)) if is_name_start(c) => {}
            _ => return self.fail("expected a name"),
        }
        let end = chars
            .find(|&(_, c)| !is_name_char(c))
            .map_or(self.rest().len(), |(i, _)| i);
        let name = self.rest()[..end].to_string();
        self.pos += end;
        Ok(name)
    }

    /// Character data up to `stop` (exclusive), references resolved.
    fn chars_until(&mut self, stop: char, in_attribute: bool) -> Result<String, String> {
        let mut out = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                return self.fail("unexpected end");
            };
            if c == stop {
                return Ok(out);
            }
            if !is_xml_char(c) {
                return self.fail("character not allowed in XML 1.0");
            }
            if c == '<' {
                return self.fail("unescaped '<'");
            }
            if !in_attribute && self.rest().starts_with("]]>") {
                return self.fail("']]>' in content");
            }
            if c == '&' {
                out.push(self.reference()?);
                continue;
            }
            // attribute value normalisation
            out.push(if in_attribute && matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            });
            self.pos += c.len_utf8();
        }
    }

    fn reference(&mut self) -> Result<char, String> {
        let Some(end) = self.rest().find(';') else {
            return self.fail("unterminated reference");
        };
        let body = &self.rest()[1..end];
        let c = match body {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let code = if let Some(hex) = body.strip_prefix("#x") {
                    (!hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                        .then(|| u32::from_str_radix(hex, 16).ok())
                        .flatten()
                } else if let Some(dec) = body.strip_prefix('#') {
                    (!dec.is_empty() && dec.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| dec.parse().ok())
                        .flatten()
                } else {
                    None
                };
                code.and_then(char::from_u32).filter(|&c| is_xml_char(c))
            }
        };
        match c {
            Some(c) => {
                self.pos += end + 1;
                Ok(c)
            }
            None => self.fail("bad reference"),
        }
    }

    fn element(&mut self) -> Result<Element, String> {
        self.expect("<")?;
        let name = self.name()?;
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            let spaced = self.skip_space();
            if self.eat("/>") {
                return Ok(Element {
                    name,
                    attrs,
                    children: Vec::new(),
                });
            }
            if self.eat(">") {
                break;
            }
            if !spaced {
                return self.fail("expected space before an attribute");
            }
            let key = self.name()?;
            self.skip_space();
            self.expect("=")?;
            self.skip_space();
            let quote = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return self.fail("unquoted attribute value"),
            };
            self.pos += 1;
            let value = self.chars_until(quote, true)?;
            self.pos += 1;
            if attrs.iter().any(|(k, _)| *k == key) {
                return self.fail(&format!("duplicate attribute {key}"));
            }
            attrs.push((key, value));
        }
        let mut children = Vec::new();
        loop {
            if self.eat("</") {
                let closing = self.name()?;
                if closing != name {
                    return self.fail(&format!("</{closing}> closes <{name}>"));
                }
                self.skip_space();
                self.expect(">")?;
                return Ok(Element {
                    name,
                    attrs,
                    children,
                });
            }
            if self.rest().starts_with("<!") || self.rest().starts_with("<?") {
                return self.fail("comment, CDATA, DTD or PI not expected");
            }
            if self.rest().starts_with('<') {
                children.push(Node::Element(self.element()?));
            } else {
                let text = self.chars_until('<', false)?;
                children.push(Node::Text(text));
            }
        }
    }
}

/// Parses a whole document strictly: optional XML declaration, one root
/// element, nothing but white space around it.
fn parse(doc: &str) -> Result<Element, String> {
    let mut r = Reader { src: doc, pos: 0 };
    if r.eat("<?xml") {
        let Some(end) = r.rest().find("?>") else {
            return r.fail("unterminated XML declaration");
        };
        let decl = &r.rest()[..end];
        if !decl.starts_with(" version=\"1.0\"") {
            return r.fail("XML declaration without version 1.0");
        }
        r.pos += end + 2;
    }
    r.skip_space();
    let root = r.element()?;
    r.skip_space();
    if !r.rest().is_empty() {
        return r.fail("content after the root element");
    }
    Ok(root)
}

fn parse_ok(doc: &str) -> Element {
    parse(doc).unwrap_or_else(|e| panic!("not well-formed: {e}\n{doc}"))
}

#[test]
fn the_reader_is_strict() {
    assert!(parse("<a x=\"1\"><b/>t &amp; &#60; &#x3e;</a>").is_ok());
    for bad in [
        "<a>",
        "<a></b>",
        "<a x=1/>",
        "<a x=\"1\" x=\"2\"/>",
        "<a x=\"<\"/>",
        "<a>&foo;</a>",
        "<a>& </a>",
        "<a>]]></a>",
        "<a>\u{1}</a>",
        "<a>&#0;</a>",
        "<a/><b/>",
        "<a><!-- c --></a>",
        "<a x=\"1\"y=\"2\"/>",
    ] {
        assert!(parse(bad).is_err(), "{bad:?} accepted");
    }
}

// ---------------------------------------------------------------- helpers

fn text_cmd(text: &str) -> Draw {
    Draw::Text {
        x: 10.0,
        y: 20.0,
        text: text.into(),
        color: "#111827",
        size: 12.0,
        bold: false,
        align: Align::Left,
    }
}

fn line(points: Vec<(f64, f64)>, dashed: bool) -> Draw {
    Draw::Line {
        points,
        stroke: "#374151",
        width: 1.5,
        dashed,
    }
}

fn arrow(from: (f64, f64), to: (f64, f64), width: f64, dashed: bool) -> Draw {
    Draw::Arrow {
        from,
        to,
        stroke: "#64748b",
        width,
        dashed,
    }
}

fn texts(root: &Element) -> Vec<String> {
    root.named("text").iter().map(|t| t.text()).collect()
}

/// Every number-bearing attribute of every drawn element.
fn numbers(root: &Element) -> Vec<String> {
    let numeric = [
        "x",
        "y",
        "width",
        "height",
        "cx",
        "cy",
        "r",
        "x1",
        "y1",
        "x2",
        "y2",
        "stroke-width",
        "font-size",
        "fill-opacity",
        "stroke-opacity",
    ];
    let mut out = Vec::new();
    for e in root.descendants() {
        for (k, v) in &e.attrs {
            if numeric.contains(&k.as_str()) {
                out.push(v.clone());
            } else if k == "points" || k == "viewBox" {
                out.extend(v.split([' ', ',']).map(str::to_string));
            }
        }
    }
    out
}

/// `-?digits(.d|.dd)?`, the last decimal non-zero, and not `-0`.
fn is_compact_number(s: &str) -> bool {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.len() <= 2
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !fraction.ends_with('0')
        && (unsigned.contains('.') != fraction.is_empty())
        && s != "-0"
}

fn small_app(names: &[&str]) -> App {
    let mut scenario = Scenario::with_nodes(names);
    scenario.events = vec![LocalEvent::at(0, 100)];
    scenario.messages = vec![Message {
        from: 0,
        sent_at_ms: 200,
        to: names.len() - 1,
        received_at_ms: 300,
        put: None,
    }];
    let app = App::new(scenario);
    assert_eq!(
        app.scenario().nodes[0].name,
        names[0],
        "the scenario was rejected"
    );
    app
}

// ---------------------------------------------------------------- tests

#[test]
fn the_default_diagram_is_a_well_formed_svg_document() {
    let app = App::new(default_scenario());
    let doc = app_to_svg(&app);
    assert!(doc.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    let root = parse_ok(&doc);
    assert_eq!(root.name, "svg");
    assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
    assert_eq!(root.attr("version"), Some("1.1"));
    let (w, h) = (app.viewport.width, app.viewport.height);
    assert_eq!(root.attr("width"), Some(w.to_string().as_str()));
    assert_eq!(root.attr("height"), Some(h.to_string().as_str()));
    assert_eq!(root.attr("viewBox"), Some(format!("0 0 {w} {h}").as_str()));
    assert_eq!(root.attr("xml:space"), Some("preserve"));
    let group = &root.named("g")[0];
    assert_eq!(group.attr("font-family"), Some(FONT_FAMILY));
    assert_eq!(group.attr("stroke-linecap"), Some("round"));
    assert_eq!(group.attr("stroke-linejoin"), Some("round"));
    // it draws something of every kind the scene has
    for kind in ["rect", "polyline", "line", "polygon", "circle", "text"] {
        assert!(!root.named(kind).is_empty(), "no <{kind}>");
    }
    // only elements the exporter means to write
    for e in root.descendants() {
        assert!(
            ["svg", "g", "rect", "polyline", "line", "polygon", "circle", "text"]
                .contains(&e.name.as_str()),
            "unexpected <{}>",
            e.name
        );
    }
    for n in numbers(&root) {
        assert!(is_compact_number(&n), "{n:?}");
    }
    assert!(!doc.contains("NaN") && !doc.contains("inf"));
    // the same scene always gives the same bytes
    assert_eq!(doc, app_to_svg(&app));
}

#[test]
fn the_font_family_is_the_canvas_one() {
    let canvas = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/canvas.rs"),
    )
    .unwrap();
    assert!(
        canvas.contains(&format!("const FONT_FAMILY: &str = {FONT_FAMILY:?};")),
        "src/web/canvas.rs has a different FONT_FAMILY"
    );
}

#[test]
fn every_event_label_is_in_the_document_as_text() {
    // the scene leaves out a label that would overlap its neighbour's (B's
    // receive at 260 ms and send at 300 ms are 40 px apart in the default
    // frame), so widen the frame until none collide
    let mut app = App::new(default_scenario());
    app.resize(2400.0, 420.0);
    app.fit();
    let root = parse_ok(&app_to_svg(&app));
    let texts = texts(&root);
    assert!(!app.trace().events().is_empty());
    for e in app.trace().events() {
        let label = e.hlc().to_string();
        assert!(
            texts.contains(&label),
            "{label} not drawn; texts: {texts:?}"
        );
    }
    for name in ["A", "B", "C", "real time"] {
        assert!(
            texts.iter().any(|t| hlcviz::bidi::strip(t) == name),
            "{name}"
        );
    }
}

#[test]
fn the_svg_has_the_scene_texts_in_order() {
    let app = App::new(default_scenario());
    let scene = hlcviz::scene::build(&app);
    let expected: Vec<String> = scene
        .iter()
        .filter_map(|d| match d {
            Draw::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let root = parse_ok(&app_to_svg(&app));
    assert_eq!(texts(&root), expected);
}

#[test]
fn hostile_node_names_stay_text() {
    let names = ["<script>", "]]>", "a&b \"q\" 'x'", "</svg><g>"];
    let app = small_app(&names);
    let doc = app_to_svg(&app);
    let root = parse_ok(&doc);
    let drawn = texts(&root);
    for name in names {
        assert!(
            drawn.iter().any(|t| hlcviz::bidi::strip(t) == name),
            "{name:?} in {drawn:?}"
        );
    }
    assert!(!doc.contains("<script"));
    assert!(!doc.contains("]]>"));
    assert!(!doc.contains("</svg><g>"));
    assert_eq!(root.named("svg").len(), 1);
    assert!(root.named("script").is_empty());

    // a long one is truncated by the scene to the gutter's width, still text
    let app = small_app(&["<script>alert(1)</script>", "B"]);
    let doc = app_to_svg(&app);
    let drawn = texts(&parse_ok(&doc));
    assert!(
        drawn.iter().any(|t| {
            let name = hlcviz::bidi::strip(t);
            name.starts_with("<script>") && name.ends_with('…') && name.len() < 20
        }),
        "{drawn:?}"
    );
    assert!(!doc.contains("<script"));
}

#[test]
fn any_text_is_escaped_and_stripped_of_what_xml_forbids() {
    let cases = [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("]]>", "]]>"),
        ("&amp; &lt;", "&amp; &lt;"),
        ("\"'", "\"'"),
        ("a\u{0}b\u{7}c\u{1b}d\u{7f}e\u{9b}f", "abcdef"),
        ("tab\there\nnew\rline", "tab here new line"),
        ("  two  spaces ", "  two  spaces "),
        ("\u{fffe}\u{ffff}ok", "ok"),
        ("émoji 😀 中文 עברית", "émoji 😀 中文 עברית"),
    ];
    let scene: Vec<Draw> = cases.iter().map(|(t, _)| text_cmd(t)).collect();
    let doc = to_svg(&scene, 100.0, 50.0);
    let root = parse_ok(&doc);
    let expected: Vec<String> = cases.iter().map(|(_, e)| e.to_string()).collect();
    assert_eq!(texts(&root), expected);
    assert!(!doc.contains("<script"));
    assert!(!doc.contains('\u{0}') && !doc.contains('\u{1b}'));

    // text that is nothing but forbidden characters draws nothing
    let root = parse_ok(&to_svg(&[text_cmd("\u{1}\u{2}")], 10.0, 10.0));
    assert!(root.named("text").is_empty());
}

#[test]
fn text_alignment_weight_and_size() {
    let make = |align, bold| Draw::Text {
        x: 5.0,
        y: 6.5,
        text: "t".into(),
        color: "#4b5563",
        size: 10.5,
        bold,
        align,
    };
    let root = parse_ok(&to_svg(
        &[
            make(Align::Left, false),
            make(Align::Center, true),
            make(Align::Right, false),
        ],
        10.0,
        10.0,
    ));
    let t = root.named("text");
    let anchors: Vec<_> = t.iter().map(|e| e.attr("text-anchor").unwrap()).collect();
    assert_eq!(anchors, ["start", "middle", "end"]);
    assert_eq!(t[0].attr("font-weight"), None);
    assert_eq!(t[1].attr("font-weight"), Some("600"));
    assert_eq!(t[0].attr("font-size"), Some("10.5"));
    assert_eq!(t[0].attr("x"), Some("5"));
    assert_eq!(t[0].attr("y"), Some("6.5"));
    assert_eq!(t[0].attr("fill"), Some("#4b5563"));
}

#[test]
fn dashed_lines_and_arrows_get_the_canvas_dash_array() {
    let scene = [
        line(vec![(0.0, 0.0), (10.0, 0.0)], true),
        line(vec![(0.0, 5.0), (10.0, 5.0)], false),
        arrow((0.0, 20.0), (100.0, 20.0), 1.5, true),
        arrow((0.0, 40.0), (100.0, 40.0), 1.5, false),
    ];
    let root = parse_ok(&to_svg(&scene, 100.0, 50.0));
    let polylines = root.named("polyline");
    assert_eq!(polylines[0].attr("stroke-dasharray"), Some("6 5"));
    assert_eq!(polylines[1].attr("stroke-dasharray"), None);
    let shafts = root.named("line");
    assert_eq!(shafts[0].attr("stroke-dasharray"), Some("6 5"));
    assert_eq!(shafts[1].attr("stroke-dasharray"), None);
    // heads are filled and never dashed, like the canvas's
    for head in root.named("polygon") {
        assert_eq!(head.attr("stroke-dasharray"), None);
        assert_eq!(head.attr("fill"), Some("#64748b"));
        assert_eq!(head.attr("stroke"), None);
    }
    for p in &polylines {
        assert_eq!(p.attr("fill"), Some("none"));
    }
}

#[test]
fn the_physical_cut_of_a_snapshot_is_dashed() {
    let mut app = App::new(default_scenario());
    let theta = app.trace().events()[2].hlc();
    app.set_snapshot(Some(theta));
    let root = parse_ok(&app_to_svg(&app));
    let dashed: Vec<_> = root
        .named("polyline")
        .into_iter()
        .filter(|p| p.attr("stroke-dasharray") == Some("6 5"))
        .collect();
    assert!(!dashed.is_empty());
    assert!(dashed.iter().any(|p| p.attr("stroke") == Some("#ea580c")));
}

#[test]
fn arrows_match_the_canvas_geometry() {
    // 100 px to the right, width 1: the shaft runs from 7 px in to 13 px short,
    // the head (9 + 1 = 10 long, 4.5 each side) has its tip 7 px short
    let root = parse_ok(&to_svg(
        &[arrow((0.0, 0.0), (100.0, 0.0), 1.0, false)],
        100.0,
        10.0,
    ));
    let shaft = &root.named("line")[0];
    let ends: Vec<_> = ["x1", "y1", "x2", "y2"]
        .iter()
        .map(|k| shaft.attr(k).unwrap())
        .collect();
    assert_eq!(ends, ["7", "0", "87", "0"]);
    assert_eq!(shaft.attr("stroke-width"), Some("1"));
    assert_eq!(
        root.named("polygon")[0].attr("points"),
        Some("93,0 83,4.5 83,-4.5")
    );

    // straight down, width 3: head 12 long, 5.4 each side
    let root = parse_ok(&to_svg(
        &[arrow((50.0, 0.0), (50.0, 100.0), 3.0, false)],
        100.0,
        100.0,
    ));
    let shaft = &root.named("line")[0];
    assert_eq!(shaft.attr("y1"), Some("7"));
    assert_eq!(shaft.attr("y2"), Some("87"));
    assert_eq!(
        root.named("polygon")[0].attr("points"),
        Some("50,93 44.6,81 55.4,81")
    );

    // shorter than a pixel: the canvas draws nothing
    let root = parse_ok(&to_svg(
        &[arrow((5.0, 5.0), (5.5, 5.5), 1.0, false)],
        10.0,
        10.0,
    ));
    assert!(root.named("line").is_empty() && root.named("polygon").is_empty());
}

#[test]
fn circles_rects_and_degenerate_lines() {
    let scene = [
        Draw::Circle {
            x: 10.0,
            y: 10.0,
            r: 5.0,
            fill: Some("#ffffff"),
            stroke: Some(("#2563eb", 2.5)),
        },
        Draw::Circle {
            x: 20.0,
            y: 10.0,
            r: 9.0,
            fill: None,
            stroke: Some(("#dc2626", 2.0)),
        },
        Draw::Circle {
            x: 30.0,
            y: 10.0,
            r: 5.0,
            fill: Some("#2563eb"),
            stroke: None,
        },
        Draw::Rect {
            x: 10.0,
            y: 10.0,
            w: -4.0,
            h: -2.0,
            fill: "rgba(255,255,255,0.92)",
        },
        // one point, or all points the same: nothing to stroke
        line(vec![(1.0, 1.0)], false),
        line(vec![(1.0, 1.0), (1.0, 1.0)], false),
        line(vec![], false),
    ];
    let root = parse_ok(&to_svg(&scene, 40.0, 20.0));
    let c = root.named("circle");
    assert_eq!(c.len(), 3);
    assert_eq!(c[0].attr("fill"), Some("#ffffff"));
    assert_eq!(c[0].attr("stroke"), Some("#2563eb"));
    assert_eq!(c[0].attr("stroke-width"), Some("2.5"));
    assert_eq!(c[1].attr("fill"), Some("none"));
    assert_eq!(c[1].attr("r"), Some("9"));
    assert_eq!(c[2].attr("stroke"), None);
    for circle in &c {
        assert_eq!(circle.attr("stroke-dasharray"), None);
    }
    let r = &root.named("rect")[0];
    let geometry: Vec<_> = ["x", "y", "width", "height"]
        .iter()
        .map(|k| r.attr(k).unwrap())
        .collect();
    assert_eq!(geometry, ["6", "8", "4", "2"]);
    // SVG 1.1 has no rgba(): the alpha becomes an opacity
    assert_eq!(r.attr("fill"), Some("#ffffff"));
    assert_eq!(r.attr("fill-opacity"), Some("0.92"));
    assert!(root.named("polyline").is_empty());
}

#[test]
fn colours_outside_the_strict_pattern_become_black() {
    let hostile: [&'static str; 5] = [
        "red\" onload=\"alert(1)",
        "url(javascript:alert(1))",
        "rgb(1,2,3);x:y",
        "#12345z",
        "expression(alert(1))",
    ];
    let mut scene: Vec<Draw> = hostile
        .iter()
        .map(|&c| Draw::Rect {
            x: 0.0,
            y: 0.0,
            w: 1.0,
            h: 1.0,
            fill: c,
        })
        .collect();
    scene.push(Draw::Rect {
        x: 0.0,
        y: 0.0,
        w: 1.0,
        h: 1.0,
        fill: "rgb(37, 99, 235)",
    });
    scene.push(Draw::Rect {
        x: 0.0,
        y: 0.0,
        w: 1.0,
        h: 1.0,
        fill: "#ABC",
    });
    let doc = to_svg(&scene, 10.0, 10.0);
    assert!(!doc.contains("onload") && !doc.contains("javascript") && !doc.contains("expression"));
    let root = parse_ok(&doc);
    let fills: Vec<_> = root
        .named("rect")
        .iter()
        .map(|r| r.attr("fill").unwrap())
        .collect();
    assert_eq!(
        fills,
        ["#000000", "#000000", "#000000", "#000000", "#000000", "#2563eb", "#aabbcc"]
    );
    // and the palette itself survives unchanged
    let app = App::new(default_scenario());
    let root = parse_ok(&app_to_svg(&app));
    let events: Vec<_> = root
        .named("circle")
        .into_iter()
        .filter(|c| c.attr("fill") == Some("#2563eb"))
        .collect();
    assert!(!events.is_empty());
}

#[test]
fn commands_with_non_finite_numbers_are_skipped() {
    let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
    let mut scene = Vec::new();
    for v in bad {
        scene.push(Draw::Rect {
            x: v,
            y: 0.0,
            w: 1.0,
            h: 1.0,
            fill: "#ffffff",
        });
        scene.push(Draw::Rect {
            x: 0.0,
            y: 0.0,
            w: 1.0,
            h: v,
            fill: "#ffffff",
        });
        scene.push(line(vec![(0.0, 0.0), (v, 1.0), (2.0, 2.0)], false));
        scene.push(Draw::Line {
            points: vec![(0.0, 0.0), (1.0, 1.0)],
            stroke: "#000000",
            width: v,
            dashed: false,
        });
        scene.push(arrow((0.0, 0.0), (50.0, v), 1.0, false));
        scene.push(arrow((v, 0.0), (50.0, 0.0), 1.0, false));
        scene.push(arrow((0.0, 0.0), (50.0, 0.0), v, false));
        scene.push(Draw::Circle {
            x: 1.0,
            y: v,
            r: 2.0,
            fill: Some("#000000"),
            stroke: None,
        });
        scene.push(Draw::Circle {
            x: 1.0,
            y: 1.0,
            r: v,
            fill: Some("#000000"),
            stroke: None,
        });
        scene.push(Draw::Circle {
            x: 1.0,
            y: 1.0,
            r: 2.0,
            fill: None,
            stroke: Some(("#000000", v)),
        });
        scene.push(Draw::Text {
            x: v,
            y: 1.0,
            text: "bad".into(),
            color: "#000000",
            size: 12.0,
            bold: false,
            align: Align::Left,
        });
        scene.push(Draw::Text {
            x: 1.0,
            y: 1.0,
            text: "bad".into(),
            color: "#000000",
            size: v,
            bold: false,
            align: Align::Left,
        });
    }
    // negative lengths are as meaningless
    scene.push(Draw::Circle {
        x: 1.0,
        y: 1.0,
        r: -1.0,
        fill: Some("#000000"),
        stroke: None,
    });
    scene.push(line(vec![(0.0, 0.0), (1.0, 1.0)], false));
    if let Some(Draw::Line { width, .. }) = scene.last_mut() {
        *width = -1.0;
    }
    scene.push(text_cmd("good"));
    let doc = to_svg(&scene, f64::NAN, f64::INFINITY);
    assert!(!doc.contains("NaN") && !doc.contains("inf"), "{doc}");
    let root = parse_ok(&doc);
    assert_eq!(root.attr("width"), Some("0"));
    assert_eq!(root.attr("viewBox"), Some("0 0 0 0"));
    let drawn: Vec<_> = root.descendants().iter().map(|e| e.name.clone()).collect();
    assert_eq!(drawn, ["svg", "g", "text"]);
    assert_eq!(texts(&root), ["good"]);
}

#[test]
fn numbers_have_at_most_two_decimals_and_no_negative_zero() {
    let scene = [
        Draw::Circle {
            x: 1.23456,
            y: -0.0001,
            r: 2.0,
            fill: Some("#000000"),
            stroke: None,
        },
        Draw::Circle {
            x: -3.999,
            y: 10.5,
            r: 0.1 + 0.2,
            fill: Some("#000000"),
            stroke: None,
        },
        Draw::Circle {
            x: -0.0,
            y: 1234567.891,
            r: 100.0,
            fill: Some("#000000"),
            stroke: None,
        },
        line(vec![(0.333333, -0.666666), (-7.0, 1e-9)], false),
    ];
    let root = parse_ok(&to_svg(&scene, 640.5, 480.0));
    let c = root.named("circle");
    let attrs = |e: &Element| -> Vec<String> {
        ["cx", "cy", "r"]
            .iter()
            .map(|k| e.attr(k).unwrap().to_string())
            .collect()
    };
    assert_eq!(attrs(c[0]), ["1.23", "0", "2"]);
    assert_eq!(attrs(c[1]), ["-4", "10.5", "0.3"]);
    assert_eq!(attrs(c[2]), ["0", "1234567.89", "100"]);
    assert_eq!(
        root.named("polyline")[0].attr("points"),
        Some("0.33,-0.67 -7,0")
    );
    assert_eq!(root.attr("width"), Some("640.5"));
    assert_eq!(root.attr("viewBox"), Some("0 0 640.5 480"));
    for n in numbers(&root) {
        assert!(is_compact_number(&n), "{n:?}");
    }
}

#[test]
fn a_zoomed_in_busy_frame_stays_well_formed() {
    // odd viewport, panned and zoomed so numbers have fractions, a selection
    // and a snapshot on
    let mut app = App::new(default_scenario());
    app.resize(777.7, 333.3);
    app.viewport.start_ms = 123.456;
    app.viewport.ms_per_px = 0.737;
    let theta = app.trace().events()[3].hlc();
    app.set_snapshot(Some(theta));
    let doc = app_to_svg(&app);
    let root = parse_ok(&doc);
    assert_eq!(root.attr("width"), Some("777.7"));
    for n in numbers(&root) {
        assert!(is_compact_number(&n), "{n:?}");
    }
}
