// Real-browser test of eventmap's map page: Debian chromium, driven by
// playwright-core, opens the HTML file from file:// with the network off and
// checks what a person would see. Run by .ci/run:
//
//   node tests/browser/map.test.js --map output/map.html \
//     --layers output/incidents.geojson,output/statements.geojson \
//     --screenshot target/browser/map.png [--hostile HOSTILE.html] [--big BIG.html]
//     [--fixture FIXTURE.html --fixture-layers A.geojson,B.geojson,...]
//
// Prints one line per check and "N passed, N failed" at the end; exits 1 on
// a failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

function parseArgs(argv) {
  const a = {};
  for (let i = 2; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!a.map || !a.layers) {
    console.error('usage: map.test.js --map FILE.html --layers A.geojson,B.geojson [--hidden C.geojson] [--screenshot OUT.png] [--hostile FILE.html] [--big FILE.html]');
    process.exit(2);
  }
  return a;
}

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`); }
}

function features(files) {
  return files.flatMap((f) => JSON.parse(fs.readFileSync(f, 'utf8')).features);
}
function featureId(f) { return String(f.properties.id ?? f.properties.event_id ?? f.id); }
function sameSet(a, b) {
  const x = [...a].sort(), y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
function diff(a, b) {
  const extra = a.filter((v) => !b.includes(v)), missing = b.filter((v) => !a.includes(v));
  return `drawn ${a.length}, expected ${b.length}; extra [${extra.slice(0, 5)}], missing [${missing.slice(0, 5)}]`;
}
// the first and last day of "YYYY-MM-DD", "YYYY-MM", "YYYY" (as the page reads them)
function span(d) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(d || '');
  if (!m) return null;
  const day = (y, mo, da) => Math.floor(Date.UTC(y, mo - 1, da) / 86400000);
  const y = +m[1];
  if (m[3]) return [day(y, +m[2], +m[3]), day(y, +m[2], +m[3])];
  if (m[2]) return [day(y, +m[2], 1), day(y, +m[2] + 1, 1) - 1];
  return [day(y, 1, 1), day(y + 1, 1, 1) - 1];
}

async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

/** A page with the network off; every request it makes is recorded. */
async function openPage(browser, file, viewport) {
  const context = await browser.newContext({ offline: true, viewport });
  const requests = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url === pageUrl(file)) route.continue(); else route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(pageUrl(file));
  await page.waitForFunction(() => window.eventmap && window.eventmap.total >= 0, null, { timeout: 30000 });
  const loadMs = Date.now() - t0;
  return { page, context, requests, errors, loadMs };
}
function pageUrl(file) { return 'file://' + path.resolve(file); }

async function drawnIds(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => window.eventmap.drawnIds());
}

async function setSlider(page, id, value) {
  await page.fill(id, String(value));
}

async function seedChecks(browser, args) {
  const feats = features(args.layers.split(','));
  const ids = feats.map(featureId);
  // Layers the page holds but shows only when switched on (events beside
  // the incidents they fuse).
  const hidden = args.hidden ? features(args.hidden.split(',')).length : 0;
  let { page, context, requests, errors } = await openPage(browser, args.map, { width: 1280, height: 800 });
  const allRequests = requests, allErrors = errors;

  // 1. every feature drawn (after "zoom to all")
  await page.click('#em-fit');
  const all = await drawnIds(page);
  check('drawn features == features in the GeoJSON', sameSet(all, ids), diff(all, ids));
  const total = await page.evaluate(() => window.eventmap.total);
  check('the page holds every feature once', total === ids.length + hidden, `${total} vs ${ids.length} + ${hidden}`);

  // 2. a narrower date range hides exactly the features outside it
  // from the second distinct start day to the second-last distinct end day
  const r = await page.evaluate(() => window.eventmap.range());
  const min = span(r.min)[0];
  const starts = [...new Set(feats.map((f) => span(f.properties.event_date)).filter(Boolean).map((s) => s[0]))].sort((a, b) => a - b);
  const ends = [...new Set(feats.map((f) => span(f.properties.event_date)).filter(Boolean).map((s) => s[1]))].sort((a, b) => a - b);
  const from = starts[Math.min(1, starts.length - 1)] - min;
  const to = Math.max(from, ends[Math.max(0, ends.length - 2)] - min);
  await setSlider(page, '#em-from', from);
  await setSlider(page, '#em-to', to);
  const lo = span(r.min)[0] + from, hi = span(r.min)[0] + to;
  const inRange = feats.filter((f) => {
    const s = span(f.properties.event_date);
    return s && s[1] >= lo && s[0] <= hi;
  }).map(featureId);
  const narrowed = await drawnIds(page);
  check('narrowed dates: drawn == features in the range', sameSet(narrowed, inRange), diff(narrowed, inRange));
  check('narrowed dates hide some and keep some', inRange.length > 0 && inRange.length < ids.length,
    `${inRange.length} of ${ids.length}`);
  const hash = await page.evaluate(() => location.hash);
  check('the range is in the URL hash', /from=\d{4}-\d{2}-\d{2}/.test(hash) && /to=\d{4}-\d{2}-\d{2}/.test(hash), hash);

  // the shared view: the same hash in a new page draws the same records
  const shared = await openPage(browser, args.map, { width: 1280, height: 800 });
  await shared.page.evaluate((h) => { location.hash = h; }, hash);
  const sharedIds = await drawnIds(shared.page);
  check('a shared URL hash gives the same records', sameSet(sharedIds, narrowed), diff(sharedIds, narrowed) + ' ' + hash + ' ' + await shared.page.evaluate(() => location.hash + JSON.stringify(window.eventmap.range())));
  await shared.context.close();

  // the text filter: what the search box keeps is what mentions the words
  await page.click('#em-reset');
  const word = 'cease-fire';
  await page.fill('#em-text', word);
  await page.waitForFunction((n) => window.eventmap.visibleIds().length !== n, ids.length, { timeout: 3000 }).catch(() => null);
  const searched = await drawnIds(page);
  const mentions = feats.filter((f) => ['location', 'actor1', 'actor2', 'reported_by', 'evidence', 'sub_event_type',
    'event_type', 'publisher', 'source_file', 'admin1', 'matched_text', 'id', 'event_id', 'title']
    .some((k) => String(f.properties[k] ?? '').toLowerCase().includes(word))).map(featureId);
  check('the text filter keeps exactly the records that mention it', mentions.length > 0 && sameSet(searched, mentions),
    diff(searched, mentions));
  const header = await page.textContent('#em-counts');
  check('the header counts follow the filters', header.startsWith(`${mentions.length} of ${ids.length + hidden} records`), header);
  await page.fill('#em-text', '');

  // Play moves a window through time, and Pause stops it
  await page.click('#em-play');
  await page.waitForFunction(() => { const r = window.eventmap.range(); return r.from > r.min; }, null, { timeout: 10000 }).catch(() => null);
  const playing = await page.evaluate(() => window.eventmap.range());
  await page.click('#em-play');
  const paused = await page.evaluate(() => window.eventmap.range());
  await page.waitForTimeout(500);
  const still = await page.evaluate(() => window.eventmap.range());
  check('play moves the date window, pause stops it',
    playing.from > playing.min && playing.to < playing.max && JSON.stringify(paused) === JSON.stringify(still),
    JSON.stringify([playing, still]));

  // 3. clicking a marker shows its evidence sentence (a fresh page: the
  // first view, on the incidents)
  await context.close();
  ({ page, context, requests, errors } = await openPage(browser, args.map, { width: 1280, height: 800 }));
  const target = await page.evaluate(() => {
    // the incident marker farthest from any other marker: a click hits it alone
    const ids = window.eventmap.drawnIds();
    const pts = ids.map((id) => [id, window.eventmap.markerPoint(id)]).filter((x) => x[1]);
    let best = null, bestD = -1;
    pts.forEach(([id, p]) => {
      if (id.includes('#s')) return;
      const d = Math.min(...pts.filter((q) => q[0] !== id).map(([, q]) => Math.hypot(q.x - p.x, q.y - p.y)), 1e9);
      if (d > bestD) { best = { id, p }; bestD = d; }
    });
    return best;
  });
  check('an incident marker is drawn on its own', !!target);
  if (target) {
    await page.mouse.click(target.p.x, target.p.y);
    await page.waitForSelector('.em-popup', { timeout: 5000 }).catch(() => null);
    const shown = await page.evaluate(() => {
      const q = document.querySelector('.em-popup .em-evidence');
      const m = document.querySelector('.em-popup mark');
      return { text: q ? q.textContent : null, mark: m ? m.textContent : null };
    });
    const f = feats.find((x) => featureId(x) === target.id);
    check('clicking a marker shows its evidence sentence', shown.text === f.properties.evidence,
      `${target.id}: ${JSON.stringify(shown.text)}`);
    const outlined = await page.evaluate(() => window.eventmap.outlined());
    const polygon = /^\s*(MULTI)?POLYGON/i.test(f.properties.wkt || '') || /Polygon/.test(f.geometry.type);
    check('a region record outlines its region while the popup is open',
      polygon ? outlined === f.properties.gazetteer_id : outlined === null, `${outlined} for ${f.properties.gazetteer_id}`);
    const place = f.properties.matched_text || f.properties.location;
    check('the place is highlighted in the sentence', !f.properties.evidence.includes(place) || shown.mark === place,
      `${JSON.stringify(shown.mark)} vs ${JSON.stringify(place)}`);
  }
  if (args.screenshot) {
    fs.mkdirSync(path.dirname(args.screenshot), { recursive: true });
    // the popup's fade-in done, no focus ring from the click
    await page.waitForTimeout(500);
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await page.screenshot({ path: args.screenshot });
    console.log(`screenshot: ${args.screenshot}`);
  }

  // 4. keyboard: the controls are reachable with Tab
  const tabbed = new Set();
  await page.focus('body');
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    tabbed.add(await page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.tagName)));
  }
  const wanted = ['em-from', 'em-to', 'em-play', 'em-text'];
  check('keyboard reaches the filters', wanted.every((w) => tabbed.has(w)), [...tabbed].join(' '));

  // 5. phone width: the panel folds away behind a button
  await page.setViewportSize({ width: 390, height: 800 });
  await page.reload();
  await page.waitForFunction(() => window.eventmap);
  const phone = await page.evaluate(() => ({
    panel: document.getElementById('em-panel').hidden,
    toggle: getComputedStyle(document.getElementById('em-panel-toggle')).display !== 'none',
    overflow: document.documentElement.scrollWidth <= window.innerWidth,
  }));
  check('phone width: panel behind a button, no sideways scrolling', phone.panel && phone.toggle && phone.overflow, JSON.stringify(phone));

  errors = allErrors.concat(errors);
  requests = allRequests.concat(requests);
  check('no script error', errors.length === 0, errors.join(' | '));
  const foreign = requests.filter((u) => u !== pageUrl(args.map));
  check('no request left the page', foreign.length === 0, foreign.slice(0, 5).join(' '));
  const resources = await page.evaluate(() => performance.getEntriesByType('resource').length);
  check('no resource loaded by the page', resources === 0, String(resources));
  await context.close();
}

/** A map of article text written to attack the page: all of it stays text. */
async function hostileChecks(browser, file) {
  const { page, context, errors } = await openPage(browser, file, { width: 1280, height: 800 });
  const ids = await drawnIds(page);
  const target = ids[0];
  const p = target && await page.evaluate((id) => window.eventmap.markerPoint(id), target);
  if (p) await page.mouse.click(p.x, p.y);
  await page.waitForSelector('.em-popup', { timeout: 5000 }).catch(() => null);
  const got = await page.evaluate(() => ({
    pwned: window.__pwned === true,
    injected: document.querySelectorAll('.em-popup img, .em-popup script, #em-list img, #em-counts img').length,
    text: (document.querySelector('.em-popup .em-evidence') || {}).textContent,
    href: (document.querySelector('.em-popup a') || { href: 'none' }).href,
  }));
  check('hostile text: shown as text, nothing injected or run',
    !got.pwned && got.injected === 0 && /<img/.test(got.text || ''), JSON.stringify(got));
  check('hostile text: a javascript: url is no link', got.href === 'none', got.href);
  check('hostile text: no script error', errors.length === 0, errors.join(' | '));
  await context.close();
}

/** The fixture layers with an events layer: its popup and its toggle. */
async function eventChecks(browser, file, layerFiles) {
  const feats = features(layerFiles.split(','));
  const ev = feats.find((f) => f.properties.event_id);
  const { page, context, errors } = await openPage(browser, file, { width: 1280, height: 800 });
  await page.click('#em-fit');
  const first = await drawnIds(page);
  const notEvents = feats.filter((f) => !f.properties.event_id).map(featureId);
  check('events start hidden beside the incidents they fuse', sameSet(first, notEvents), diff(first, notEvents));
  await page.click('#em-layers input[data-layer=events]');
  const all = await drawnIds(page);
  check('fixture map: every incident, event and statement drawn', sameSet(all, feats.map(featureId)), diff(all, feats.map(featureId)));
  const p = await page.evaluate((id) => window.eventmap.markerPoint(id), ev.properties.event_id);
  if (p) await page.mouse.click(p.x, p.y);
  await page.waitForSelector('.em-popup', { timeout: 5000 }).catch(() => null);
  const got = await page.evaluate(() => ({
    links: [...document.querySelectorAll('.em-popup a')].map((a) => a.href),
    text: (document.querySelector('.em-popup') || {}).textContent || '',
  }));
  const urls = ev.properties.urls.split('; ');
  check('event popup: its articles linked, its sources and members shown',
    sameSet(got.links, urls) && got.text.includes('Articles' + ev.properties.sources) && got.text.includes(ev.properties.fusion_note),
    JSON.stringify(got));
  await page.click('#em-layers input[data-layer=events]');
  const noEvents = await drawnIds(page);
  check('the events toggle hides exactly the events', sameSet(noEvents, notEvents), diff(noEvents, notEvents));
  check('fixture map: no script error', errors.length === 0, errors.join(' | '));
  await context.close();
}

/** A large map opens fast enough. */
async function bigChecks(browser, file) {
  const { page, context, loadMs } = await openPage(browser, file, { width: 1280, height: 800 });
  const info = await page.evaluate(() => ({ total: window.eventmap.total, ready: window.eventmap.readyMs }));
  const limit = Number(process.env.EVENTMAP_MAP_OPEN_MS || 3000);
  console.log(`big map: ${info.total} features, drawn ${Math.round(info.ready)} ms after navigation, ${loadMs} ms until ready`);
  check(`big map opens in under ${limit} ms`, info.ready < limit, `${Math.round(info.ready)} ms`);
  await context.close();
}

(async () => {
  const args = parseArgs(process.argv);
  const browser = await launch();
  try {
    await seedChecks(browser, args);
    if (args.hostile) await hostileChecks(browser, args.hostile);
    if (args.fixture) await eventChecks(browser, args.fixture, args['fixture-layers']);
    if (args.big) await bigChecks(browser, args.big);
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
