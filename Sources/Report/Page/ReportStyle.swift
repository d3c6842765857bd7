import Suite

/// `style.css` of the report: system fonts, dark text on white, verdicts told apart by a word and
/// a colour (so a grey-scale print still reads), and print rules that keep figures and table rows
/// whole and start each paper on a new page.
enum ReportStyle {
    static let fileName = "style.css"

    static let css = """
    :root { --ink: #1d1f23; --muted: #5b6270; --rule: #d5d9e0; --band: #f5f6f8;
            --good: #1b6e3a; --good-bg: #e6f4ea; --bad: #a3261b; --bad-bg: #fbe9e7;
            --known: #7a5200; --known-bg: #fdf3dc; --open: #3b4a9c; --open-bg: #e8ebfa; --none: #5b6270; --none-bg: #eef0f3; }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 78rem; padding: 1.5rem 2rem 3rem; color: var(--ink); background: #fff;
           font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
    h2 { font-size: 1.35rem; margin: 2.5rem 0 .3rem; padding-top: 1rem; border-top: 2px solid var(--ink); }
    h3 { font-size: 1.1rem; margin: 1.8rem 0 .5rem; }
    h4 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
    p { margin: .4rem 0; }
    a { color: #1a4fa0; }
    code { font: .9em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: var(--band); padding: 0 .2em; }
    .meta, .note, .source { color: var(--muted); font-size: .88rem; }
    .identity { margin: .2rem 0 .8rem; }
    table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .88rem; width: 100%; }
    th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
    th { background: var(--band); font-weight: 600; }
    td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .markdown table { width: auto; }
    .markdown td, .markdown th { white-space: nowrap; }
    .markdown-wide { overflow-x: auto; }
    .verdict { font-weight: 600; white-space: nowrap; }
    .verdict-holds { color: var(--good); background: var(--good-bg); }
    .verdict-fails, .verdict-stale { color: var(--bad); background: var(--bad-bg); }
    .verdict-known { color: var(--known); background: var(--known-bg); }
    .verdict-open { color: var(--open); background: var(--open-bg); }
    .verdict-none { color: var(--none); background: var(--none-bg); }
    .detail { display: block; font-weight: 400; white-space: normal; font-size: .84rem; }
    .verdict .source { display: block; font-weight: 400; }
    table.summary td:first-child { min-width: 13rem; }
    table.summary .verdict { white-space: normal; }
    .nowrap { white-space: nowrap; }
    table.provenance th:first-child { width: 16rem; }
    td.fact { font-weight: 600; background: var(--band); }
    .measured { display: block; font-weight: 400; white-space: normal; color: var(--ink); font-size: .84rem; }
    .legend span { display: inline-block; padding: 0 .4rem; margin-right: .4rem; border-radius: 3px; }
    details { margin: .4rem 0 1rem; }
    summary { cursor: pointer; color: var(--muted); }
    .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(30rem, 1fr)); gap: 1rem 1.5rem; }
    figure { margin: 0; break-inside: avoid; }
    figure img { width: 100%; height: auto; border: 1px solid var(--rule); }
    figcaption { font-size: .85rem; color: var(--muted); }
    .missing { color: var(--bad); }
    @media print {
      body { max-width: none; padding: 0; font-size: 10pt; }
      section.paper { break-before: page; }
      h2 { border-top: none; }
      tr, figure, .markdown { break-inside: avoid; }
      .figures { grid-template-columns: 1fr 1fr; }
      a { color: inherit; text-decoration: none; }
    }
    """
}
