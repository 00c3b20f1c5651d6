// A strict reader of the Prometheus text exposition format (0.0.4) for the
// tests: every line is a HELP, a TYPE or a sample; a family's TYPE comes
// before its samples and only once; names and labels are well formed;
// values are numbers. Returns {families: {name: {type, help, samples: [{labels, value}]}}}.
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text, lineNo) {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${lineNo}: bad value '${text}'`);
  return Number(text);
}

function parseLabels(text, lineNo) {
  const labels = {};
  let rest = text;
  while (rest.length) {
    const m = LABEL.exec(rest);
    if (!m) throw new Error(`line ${lineNo}: bad labels '${text}'`);
    if (m[1] in labels) throw new Error(`line ${lineNo}: label ${m[1]} twice`);
    labels[m[1]] = m[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    rest = rest.slice(m[0].length);
  }
  return labels;
}

export function parsePrometheusText(text) {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = {};
  const seenSamples = new Set();
  text.slice(0, -1).split('\n').forEach((line, i) => {
    const lineNo = i + 1;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      const [, kind, name, ...rest] = line.split(' ');
      if (!NAME.test(name)) throw new Error(`line ${lineNo}: bad metric name '${name}'`);
      const fam = families[name] || (families[name] = { samples: [] });
      if (kind === 'TYPE') {
        if (fam.type) throw new Error(`line ${lineNo}: second TYPE for ${name}`);
        if (fam.samples.length) throw new Error(`line ${lineNo}: TYPE after samples of ${name}`);
        if (!TYPES.has(rest[0])) throw new Error(`line ${lineNo}: unknown type '${rest[0]}'`);
        fam.type = rest[0];
      } else {
        fam.help = rest.join(' ');
      }
      return;
    }
    if (line.startsWith('#') || line === '') return;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${lineNo}: not a sample: '${line}'`);
    const [, name, , labelText = '', valueText] = m;
    const fam = families[name];
    if (!fam || !fam.type) throw new Error(`line ${lineNo}: sample of ${name} before its TYPE`);
    const key = `${name}{${labelText}}`;
    if (seenSamples.has(key)) throw new Error(`line ${lineNo}: duplicate sample ${key}`);
    seenSamples.add(key);
    fam.samples.push({ labels: parseLabels(labelText, lineNo), value: parseValue(valueText, lineNo) });
  });
  return { families };
}
