/* eventmap map page. Reads the JSON embedded by `eventmap map` and draws it
 * with Leaflet on a canvas. Every text taken from the data goes into the
 * page through textContent or createTextNode, never as markup: the data is
 * article text and must not become HTML. */
(function () {
  'use strict';

  var TYPE_ORDER = ['Battles', 'Explosions/Remote violence', 'Violence against civilians',
    'Protests', 'Riots', 'Strategic developments', 'Statement'];
  var TYPE_COLORS = {
    'Battles': '#d7301f', 'Explosions/Remote violence': '#f28e00',
    'Violence against civilians': '#7b3294', 'Protests': '#2b83ba', 'Riots': '#a6611a',
    'Strategic developments': '#1a9641', 'Statement': '#7a7a7a'
  };
  var EXTRA_COLORS = ['#e7298a', '#66a61e', '#e6ab02', '#1b9e77', '#666666'];
  var PRECISION = { 1: 'named place', 2: 'near a place, a district or along a road', 3: 'region only' };
  var CELL = 44;         // clustering grid, px
  var SPREAD_MAX = 12;   // cells with at most this many records are drawn one by one
  var LIST_MAX = 100;
  var DAY = 86400000;

  function readJson(id) {
    var el = document.getElementById(id);
    return JSON.parse(el.textContent);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  var CONFIG = readJson('em-config');
  var BASE = readJson('em-basemap');
  var DATA = readJson('em-data');

  /* ---------- records ---------- */

  function dayNumber(y, m, d) { return Math.floor(Date.UTC(y, m - 1, d) / DAY); }
  function dayString(n) { return new Date(n * DAY).toISOString().slice(0, 10); }
  /** [first day, last day] of "YYYY-MM-DD", "YYYY-MM" or "YYYY"; null otherwise. */
  function dateSpan(s) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(typeof s === 'string' ? s : '');
    if (!m) return null;
    var y = +m[1];
    if (m[3]) { var d = dayNumber(y, +m[2], +m[3]); return [d, d]; }
    if (m[2]) return [dayNumber(y, +m[2], 1), dayNumber(y, +m[2] + 1, 1) - 1];
    return [dayNumber(y, 1, 1), dayNumber(y + 1, 1, 1) - 1];
  }
  function str(v) { return v === null || v === undefined ? '' : String(v); }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }

  var HAY_KEYS = ['location', 'actor1', 'actor2', 'reported_by', 'evidence', 'sub_event_type', 'event_type',
    'publisher', 'source_file', 'admin1', 'matched_text', 'id', 'event_id', 'title'];

  /** A layer's features come as [[lon, lat], lines, [values]] with the
   * property names once in layer.keys. */
  function makeRecord(layer, ki, f, i) {
    var v = f[2];
    function get(k) { var j = ki[k]; return j === undefined ? undefined : v[j]; }
    var type = str(get('event_type')) || (layer.kind === 'statements' ? 'Statement' : 'Unknown');
    var span = dateSpan(get('event_date'));
    var fat = num(get('fatalities'));
    if (fat === null) fat = num(get('fatalities_low'));
    return {
      i: i, layer: layer.kind, keys: layer.keys, v: v, get: get, lon: f[0][0], lat: f[0][1], lines: f[1] || null,
      id: str(get('id') || get('event_id')), type: type, start: span ? span[0] : null, end: span ? span[1] : null,
      fatal: fat, prec: num(get('geo_precision')), hay: null
    };
  }
  /** The record's properties as an object (for the popup). */
  function props(r) {
    var p = {};
    r.keys.forEach(function (k, j) { if (j < r.v.length) p[k] = r.v[j]; });
    return p;
  }
  /** The lower-case text the search box looks in (built when first asked). */
  function hay(r) {
    if (r.hay === null) r.hay = HAY_KEYS.map(function (k) { return str(r.get(k)); }).join('\n').toLowerCase();
    return r.hay;
  }

  var records = [];
  var layers = [];
  DATA.layers.forEach(function (layer) {
    layers.push({ kind: layer.kind, source: layer.source, count: layer.features.length });
    var ki = {};
    layer.keys.forEach(function (k, j) { ki[k] = j; });
    layer.features.forEach(function (f) { records.push(makeRecord(layer, ki, f, records.length)); });
  });

  var types = [];
  records.forEach(function (r) { if (types.indexOf(r.type) < 0) types.push(r.type); });
  types.sort(function (a, b) {
    var ia = TYPE_ORDER.indexOf(a), ib = TYPE_ORDER.indexOf(b);
    if (ia < 0) ia = 99; if (ib < 0) ib = 99;
    return ia - ib || (a < b ? -1 : a > b ? 1 : 0);
  });
  var extra = 0;
  types.forEach(function (t) {
    if (!TYPE_COLORS[t]) TYPE_COLORS[t] = EXTRA_COLORS[extra++ % EXTRA_COLORS.length];
  });

  var dated = records.filter(function (r) { return r.start !== null; });
  var DMIN = dated.length ? Math.min.apply(null, dated.map(function (r) { return r.start; })) : 0;
  var DMAX = dated.length ? Math.max.apply(null, dated.map(function (r) { return r.end; })) : 0;
  var undatedCount = records.length - dated.length;

  /* ---------- filter state (mirrored in the URL hash) ---------- */

  var state = {
    from: DMIN, to: DMAX, q: '',
    types: {}, layers: {}
  };
  types.forEach(function (t) { state.types[t] = true; });
  // Every layer is on at first, except events beside the incidents they
  // fuse (each would be drawn twice): the events box turns them on.
  var both = layers.some(function (l) { return l.kind === 'events'; }) &&
    layers.some(function (l) { return l.kind === 'incidents'; });
  function defaultLayers() {
    layers.forEach(function (l) { state.layers[l.kind] = !(both && l.kind === 'events'); });
  }
  defaultLayers();

  function fullRange() { return state.from <= DMIN && state.to >= DMAX; }
  function passesDate(r) {
    if (r.start === null) return fullRange();
    return r.end >= state.from && r.start <= state.to;
  }
  function passesText(r) { return !state.q || hay(r).indexOf(state.q) >= 0; }
  function visibleRecords() {
    return records.filter(function (r) {
      return state.layers[r.layer] && state.types[r.type] && passesDate(r) && passesText(r);
    });
  }

  function writeHash() {
    var parts = [];
    if (state.from > DMIN) parts.push('from=' + dayString(state.from));
    if (state.to < DMAX) parts.push('to=' + dayString(state.to));
    var off = types.filter(function (t) { return !state.types[t]; });
    if (off.length) parts.push('hide=' + off.map(encodeURIComponent).join(','));
    var lon = layers.filter(function (l) { return state.layers[l.kind]; });
    if (lon.length < layers.length) parts.push('layers=' + lon.map(function (l) { return l.kind; }).join(','));
    if (state.q) parts.push('q=' + encodeURIComponent(state.q));
    if (map) {
      var c = map.getCenter();
      parts.push('view=' + map.getZoom() + '/' + c.lat.toFixed(4) + '/' + c.lng.toFixed(4));
    }
    var h = '#' + parts.join('&');
    if (location.hash === h) return;
    try { history.replaceState(null, '', h); } catch (e) { hashWriting = true; location.hash = h; }
  }
  var hashWriting = false;

  /** Read the state from the hash; returns the view [zoom, lat, lon] if given. */
  function readHash() {
    var view = null;
    state.from = DMIN; state.to = DMAX; state.q = '';
    types.forEach(function (t) { state.types[t] = true; });
    var listed = /(^#|&)layers=/.test(location.hash);
    if (listed) layers.forEach(function (l) { state.layers[l.kind] = false; });
    else defaultLayers();
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i < 0) return;
      var k = kv.slice(0, i), v;
      try { v = decodeURIComponent(kv.slice(i + 1)); } catch (e) { return; }
      var span = dateSpan(v);
      if (k === 'from' && span) state.from = Math.max(DMIN, Math.min(DMAX, span[0]));
      else if (k === 'to' && span) state.to = Math.max(DMIN, Math.min(DMAX, span[1]));
      else if (k === 'q') state.q = v.toLowerCase();
      else if (k === 'hide') v.split(',').forEach(function (t) { if (t in state.types) state.types[t] = false; });
      else if (k === 'layers') v.split(',').forEach(function (t) { if (t in state.layers) state.layers[t] = true; });
      else if (k === 'layers-off') v.split(',').forEach(function (t) { if (t in state.layers) state.layers[t] = false; });
      else if (k === 'view') {
        var z = v.split('/').map(Number);
        if (z.length === 3 && z.every(isFinite)) view = z;
      }
    });
    if (state.from > state.to) state.to = state.from;
    return view;
  }

  /* ---------- map and base map ---------- */

  var map = null;
  map = L.map('em-map', { preferCanvas: true, minZoom: 1, maxZoom: 14, worldCopyJump: false, zoomSnap: 1 });
  map.attributionControl.setPrefix('Leaflet ' + str(CONFIG.leaflet));
  map.attributionControl.addAttribution('Boundaries: Natural Earth');
  map.createPane('em-base').style.zIndex = 200;
  map.createPane('em-labels').style.zIndex = 350;
  map.getPane('em-labels').style.pointerEvents = 'none';
  var baseRenderer = L.canvas({ pane: 'em-base', padding: 0.5 });
  var dataRenderer = L.canvas({ padding: 0.5, tolerance: 3 });

  function drawBase() {
    var online = !!CONFIG.tiles;
    if (online) L.tileLayer(CONFIG.tiles, { maxZoom: 18, pane: 'em-base', attribution: 'tiles: ' + CONFIG.tiles }).addTo(map);
    var regional = BASE.regional;
    var replaced = {};
    if (regional) regional.features.forEach(function (f) { if (f.properties.level === 0) replaced[f.properties.name] = true; });
    var land = { color: '#9c9687', weight: 0.8, fillColor: '#fbfaf4', fillOpacity: online ? 0 : 1, interactive: false, renderer: baseRenderer, pane: 'em-base' };
    // every country filled (no gaps where the finer regional outlines
    // replace a coarse one), then the outlines of those not replaced
    L.geoJSON(BASE.world, {
      style: function () { return L.extend({}, land, { stroke: false }); }, interactive: false
    }).addTo(map);
    L.geoJSON(BASE.world, {
      filter: function (f) { return !replaced[f.properties.name]; },
      style: function () { return L.extend({}, land, { fill: false }); }, interactive: false
    }).addTo(map);
    if (BASE.admin1 && BASE.admin1.features.length) {
      L.geoJSON(BASE.admin1, {
        style: function () { return { color: '#b9b2a3', weight: 0.6, dashArray: '3 3', fill: false, interactive: false, renderer: baseRenderer, pane: 'em-base' }; },
        interactive: false
      }).addTo(map);
    }
    if (regional) {
      L.geoJSON(regional, {
        style: function (f) {
          return f.properties.level === 0 ? land
            : { color: '#b9b2a3', weight: 0.6, dashArray: '3 3', fill: false, interactive: false, renderer: baseRenderer, pane: 'em-base' };
        },
        interactive: false
      }).addTo(map);
      // the admin-0 outlines again on top of the admin-1 ones
      L.geoJSON(regional, {
        filter: function (f) { return f.properties.level === 0; },
        style: function () { return { color: '#8a8373', weight: 1.2, fill: false, interactive: false, renderer: baseRenderer, pane: 'em-base' }; },
        interactive: false
      }).addTo(map);
    }
    drawLabels(regional);
  }

  var countryLabels = L.layerGroup(), regionLabels = L.layerGroup();
  function label(text, latlng, cls) {
    var icon = L.divIcon({ className: 'em-label ' + cls, html: '', iconSize: null });
    var m = L.marker(latlng, { icon: icon, interactive: false, keyboard: false, pane: 'em-labels' });
    m.on('add', function () { var e = m.getElement(); if (e) { e.textContent = text; e.style.transform += ' translate(-50%, -50%)'; } });
    return m;
  }
  /** Name labels: a country's when its outline is wide enough on screen
   * for the name, admin-1 units' from zoom 8 on. */
  function drawLabels(regional) {
    var countries = BASE.world.features.filter(function (f) { return f.properties.label; }).map(function (f) {
      var p = f.properties;
      return { m: label(p.name, [p.label[1], p.label[0]], 'em-country'), b: L.geoJSON(f).getBounds(), w: p.name.length * 7 };
    });
    if (regional) regional.features.forEach(function (f) {
      var p = f.properties;
      if (p.level === 1 && p.label) regionLabels.addLayer(label(p.name, [p.label[1], p.label[0]], 'em-region'));
    });
    countryLabels.addTo(map);
    function show() {
      var z = map.getZoom();
      countries.forEach(function (c) {
        var w = map.project(c.b.getNorthEast(), z).x - map.project(c.b.getSouthWest(), z).x;
        var on = w > c.w + 16 && z <= 9;
        if (on && !countryLabels.hasLayer(c.m)) countryLabels.addLayer(c.m);
        if (!on && countryLabels.hasLayer(c.m)) countryLabels.removeLayer(c.m);
      });
      toggle(regionLabels, z >= 8);
    }
    map.on('zoomend', show);
    show();
  }
  function toggle(layer, on) {
    if (on && !map.hasLayer(layer)) layer.addTo(map);
    if (!on && map.hasLayer(layer)) map.removeLayer(layer);
  }

  /* ---------- drawing the records ---------- */

  var drawn = L.layerGroup().addTo(map);
  var visible = [];
  var forceSpread = {};   // cell keys spread by a click at this zoom

  function radius(r) {
    var f = r.fatal;
    return f && f > 0 ? Math.min(22, 6 + 2.4 * Math.sqrt(f)) : 6;
  }
  function markerStyle(r) {
    var c = TYPE_COLORS[r.type];
    if (r.layer === 'events') return { radius: radius(r) + 1, color: '#111', weight: 3, fillColor: c, fillOpacity: 0.9 };
    if (r.prec === 3) return { radius: radius(r) + 2, color: c, weight: 3, fillColor: c, fillOpacity: 0.12 };
    return { radius: radius(r), color: '#fff', weight: 1.5, fillColor: c, fillOpacity: 0.92 };
  }
  function addMarker(r, latlng) {
    var s = markerStyle(r);
    s.renderer = dataRenderer;
    var m = L.circleMarker(latlng, s);
    m._emIds = [r.i];
    m.on('click', function () { openPopup(r, latlng); });
    drawn.addLayer(m);
    markerAt[r.i] = latlng;
  }
  var markerAt = {};

  function addLines(list) {
    list.forEach(function (r) {
      if (!r.lines) return;
      var l = L.polyline(r.lines.map(function (line) {
        return line.map(function (c) { return [c[1], c[0]]; });
      }), { renderer: dataRenderer, color: TYPE_COLORS[r.type], weight: 4, opacity: 0.75 });
      l.on('click', function (e) { openPopup(r, e.latlng); });
      drawn.addLayer(l);
    });
  }

  function spread(group, center, zoom) {
    var k = group.length;
    var c = map.project(center, zoom);
    drawn.addLayer(L.circleMarker(center, { renderer: dataRenderer, radius: 3, color: '#222', weight: 1, fillColor: '#222', fillOpacity: 1, interactive: false }));
    group.forEach(function (r, j) {
      var pos;
      if (k <= 9) {
        var a = 2 * Math.PI * j / k - Math.PI / 2, rad = 14 + 3 * k;
        pos = L.point(c.x + rad * Math.cos(a), c.y + rad * Math.sin(a));
      } else {
        var t = 1.2 + j * 0.55, rr = 16 + 4.2 * t;
        pos = L.point(c.x + rr * Math.cos(t * 1.6), c.y + rr * Math.sin(t * 1.6));
      }
      var ll = map.unproject(pos, zoom);
      drawn.addLayer(L.polyline([center, ll], { renderer: dataRenderer, color: '#333', weight: 1, opacity: 0.6, interactive: false }));
      addMarker(r, ll);
    });
  }

  function addCluster(group, key, zoom) {
    var x = 0, y = 0;
    group.forEach(function (g) { x += g.px.x; y += g.px.y; });
    var center = map.unproject(L.point(x / group.length, y / group.length), zoom);
    var n = group.length, size = Math.min(38, Math.round(24 + 5 * Math.log10(n)));
    var icon = L.divIcon({ className: 'em-cluster', html: '', iconSize: [size, size] });
    var m = L.marker(center, { icon: icon, keyboard: true, title: n + ' records: click to zoom in or spread them', riseOnHover: true });
    m._emIds = group.map(function (g) { return g.r.i; });
    m.on('add', function () { var e = m.getElement(); if (e) e.textContent = String(n); });
    m.on('click', function () { clusterClick(group, key, zoom); });
    drawn.addLayer(m);
  }

  function clusterClick(group, key, zoom) {
    var b = L.latLngBounds(group.map(function (g) { return [g.r.lat, g.r.lon]; }));
    var sw = map.project(b.getSouthWest(), map.getMaxZoom()), ne = map.project(b.getNorthEast(), map.getMaxZoom());
    var stacked = Math.abs(ne.x - sw.x) < 6 && Math.abs(ne.y - sw.y) < 6;
    if (stacked || zoom >= map.getMaxZoom()) {
      forceSpread[key] = true;
      redraw();
    } else {
      map.fitBounds(b.pad(0.2), { maxZoom: map.getMaxZoom() });
    }
  }

  function redraw() {
    drawn.clearLayers();
    markerAt = {};
    var zoom = map.getZoom();
    var area = map.getBounds().pad(0.5);
    var cells = {};
    var keys = [];
    var inView = [];
    visible.forEach(function (r) {
      if (!area.contains([r.lat, r.lon])) return;
      inView.push(r);
      var px = map.project([r.lat, r.lon], zoom);
      var key = Math.floor(px.x / CELL) + ':' + Math.floor(px.y / CELL);
      if (!cells[key]) { cells[key] = []; keys.push(key); }
      cells[key].push({ r: r, px: px });
    });
    addLines(inView);
    keys.forEach(function (key) {
      var group = cells[key];
      if (group.length > SPREAD_MAX && !forceSpread[key]) { addCluster(group, key, zoom); return; }
      drawCell(group, zoom, !!forceSpread[key]);
    });
    renderList(inView);
  }

  /** Records of one cell one by one: each at its place, stacks spread. */
  function drawCell(group, zoom, all) {
    var spots = {}, order = [];
    group.forEach(function (g) {
      var k = all ? 'all' : Math.round(g.px.x / 4) + ':' + Math.round(g.px.y / 4);
      if (!spots[k]) { spots[k] = []; order.push(k); }
      spots[k].push(g);
    });
    order.forEach(function (k) {
      var s = spots[k];
      if (s.length === 1) addMarker(s[0].r, L.latLng(s[0].r.lat, s[0].r.lon));
      else spread(s.map(function (g) { return g.r; }), L.latLng(s[0].r.lat, s[0].r.lon), zoom);
    });
  }

  /* ---------- popup ---------- */

  function row(dl, term, value) {
    if (value === null || value === undefined || value === '') return;
    dl.appendChild(el('dt', null, term));
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }

  /** The evidence with the place's words marked: text nodes and a <mark>
   * around the first of the needles found (as written, else in any case). */
  function evidenceNode(text, needles) {
    var q = el('blockquote', 'em-evidence');
    var at = -1, needle = '';
    needles.some(function (n) {
      if (!n) return false;
      at = text.indexOf(n);
      // in any case only where lower-casing keeps the offsets
      var lower = text.toLowerCase();
      if (at < 0 && lower.length === text.length) at = lower.indexOf(n.toLowerCase());
      needle = n;
      return at >= 0;
    });
    if (at < 0) { q.textContent = text; return q; }
    q.appendChild(document.createTextNode(text.slice(0, at)));
    q.appendChild(el('mark', null, text.slice(at, at + needle.length)));
    q.appendChild(document.createTextNode(text.slice(at + needle.length)));
    return q;
  }

  function fatalities(p) {
    var f = num(p.fatalities), lo = num(p.fatalities_low), hi = num(p.fatalities_high);
    if (f === null && lo === null) return null;
    var s = String(f !== null ? f : lo);
    if (lo !== null && hi !== null && lo !== hi) s += ' (' + lo + '-' + hi + ')';
    return s;
  }

  /** "a; b" lists (events join their articles' values so). */
  function list(v) { return str(v).split('; ').filter(Boolean); }

  /** Publisher(s), a link to each article with an http(s) URL, file(s). */
  function sourceNode(p) {
    var span = el('span');
    var add = function (node) {
      if (span.childNodes.length) span.appendChild(document.createTextNode(', '));
      span.appendChild(node);
    };
    var pubs = list(p.publisher || p.publishers).join(', ');
    if (pubs) add(document.createTextNode(pubs));
    var urls = list(p.url || p.urls).filter(function (u) { return /^https?:\/\//i.test(u); });
    urls.forEach(function (url, j) {
      var a = el('a', null, urls.length > 1 ? 'article ' + (j + 1) : 'article');
      a.href = url; a.target = '_blank'; a.rel = 'noopener noreferrer';
      add(a);
    });
    var files = list(p.source_file || p.source_files).join(', ');
    if (files) add(document.createTextNode(files));
    return span.childNodes.length ? span : null;
  }

  function popupContent(r) {
    var p = props(r);
    var box = el('div', 'em-popup');
    box.appendChild(el('h3', null, r.type + (p.sub_event_type ? ': ' + p.sub_event_type : '')));
    var dl = el('dl');
    row(dl, 'Date', p.event_date ? str(p.event_date) + (p.date_precision ? ' (' + p.date_precision + ')' : '') : 'unknown');
    var prec = PRECISION[r.prec];
    row(dl, 'Place', str(p.location) + (prec ? ' (' + prec + ')' : ''));
    row(dl, 'Region', [p.admin1, p.country].filter(Boolean).join(', '));
    row(dl, 'Killed', fatalities(p));
    row(dl, 'Injured', num(p.injured));
    row(dl, 'Actors', [p.actor1, p.actor2].filter(Boolean).join(' vs. '));
    row(dl, 'Reported by', str(p.reported_by));
    if (r.layer === 'events') {
      row(dl, 'Articles', str(p.sources));
      row(dl, 'Joined', str(p.fusion_note));
      row(dl, 'Incidents', list(p.incident_ids).join(', '));
    }
    row(dl, 'Source', sourceNode(p));
    box.appendChild(dl);
    if (p.evidence) box.appendChild(evidenceNode(str(p.evidence), [str(p.matched_text), str(p.location)]));
    return box;
  }

  var SHAPES = DATA.shapes || {};
  var outline = null, outlined = null;

  /** The popup, and for a record placed in a region the region's outline
   * while the popup is open. */
  function openPopup(r, latlng) {
    L.popup({ maxWidth: 360, autoPanPadding: [20, 20] }).setLatLng(latlng).setContent(popupContent(r)).openOn(map);
    var key = str(r.get('gazetteer_id')), rings = SHAPES[key];
    if (!rings) return;
    outline = L.polyline(rings.map(function (ring) {
      return ring.map(function (c) { return [c[1], c[0]]; });
    }), { renderer: dataRenderer, color: TYPE_COLORS[r.type], weight: 2, dashArray: '6 4', interactive: false }).addTo(map);
    outlined = key;
    map.once('popupclose', function () {
      if (outline) map.removeLayer(outline);
      outline = null; outlined = null;
    });
  }

  /* ---------- panel ---------- */

  var $ = function (id) { return document.getElementById(id); };

  function swatch(color, ring) {
    var s = el('span', 'em-swatch');
    s.style.background = ring ? 'transparent' : color;
    if (ring) s.style.border = '2px solid ' + color;
    return s;
  }

  function buildTypeFilters() {
    var box = $('em-types');
    types.forEach(function (t) {
      var lab = el('label', 'em-check');
      var cb = el('input'); cb.type = 'checkbox'; cb.checked = state.types[t]; cb.dataset.type = t;
      cb.addEventListener('change', function () { state.types[t] = cb.checked; update(); });
      lab.appendChild(cb); lab.appendChild(swatch(TYPE_COLORS[t]));
      lab.appendChild(el('span', null, t)); lab.appendChild(el('span', 'em-n'));
      box.appendChild(lab);
    });
  }

  function buildLayerToggles() {
    var box = $('em-layers');
    layers.forEach(function (l) {
      var lab = el('label', 'em-check');
      var cb = el('input'); cb.type = 'checkbox'; cb.checked = state.layers[l.kind]; cb.dataset.layer = l.kind;
      cb.addEventListener('change', function () { state.layers[l.kind] = cb.checked; update(); });
      lab.appendChild(cb); lab.appendChild(el('span', null, l.kind));
      lab.appendChild(el('span', 'em-n', l.count + ' in ' + l.source));
      box.appendChild(lab);
    });
  }

  function legendSvg(kind) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '30'); svg.setAttribute('height', '26');
    var c = document.createElementNS(ns, 'circle');
    c.setAttribute('cx', '15'); c.setAttribute('cy', '13');
    var st = { small: [6, '#888', '#fff', 1.5, 0.92], big: [11, '#888', '#fff', 1.5, 0.92], ring: [9, '#888', '#888', 3, 0.12], event: [8, '#888', '#111', 3, 0.9] }[kind];
    c.setAttribute('r', st[0]); c.setAttribute('fill', st[1]); c.setAttribute('stroke', st[2]);
    c.setAttribute('stroke-width', st[3]); c.setAttribute('fill-opacity', st[4]);
    svg.appendChild(c);
    return svg;
  }

  function buildLegend() {
    var box = $('em-legend');
    var rows = [['small', 'a settlement or site; size grows with the number killed'],
      ['big', 'about 10 killed'],
      ['ring', 'a region only (geo precision 3): not a village']];
    if (layers.some(function (l) { return l.kind === 'events'; })) rows.push(['event', 'an event fused from several articles']);
    rows.forEach(function (rw) {
      var d = el('div', 'em-legend-row');
      d.appendChild(legendSvg(rw[0])); d.appendChild(el('span', null, rw[1]));
      box.appendChild(d);
    });
    var c = el('div', 'em-legend-row');
    var b = el('span', 'em-cluster', '25'); b.style.width = b.style.height = '26px';
    c.appendChild(b); c.appendChild(el('span', null, 'a cluster: click to zoom in; stacked records are spread around their place'));
    box.appendChild(c);
  }

  function renderList(inView) {
    var ol = $('em-list');
    ol.textContent = '';
    var sorted = inView.slice().sort(function (a, b) {
      return (a.start === null) - (b.start === null) || (a.start || 0) - (b.start || 0) || a.i - b.i;
    });
    sorted.slice(0, LIST_MAX).forEach(function (r) {
      var li = el('li'), b = el('button');
      b.type = 'button';
      b.textContent = [str(r.get('event_date')) || 'undated', r.type, str(r.get('location'))].join(' \u00b7 ');
      b.addEventListener('click', function () {
        var ll = markerAt[r.i] || L.latLng(r.lat, r.lon);
        openPopup(r, ll);
      });
      li.appendChild(b); ol.appendChild(li);
    });
    if (sorted.length > LIST_MAX) ol.appendChild(el('li', 'em-more', 'and ' + (sorted.length - LIST_MAX) + ' more: zoom in or filter'));
  }

  function updateCounts() {
    var header = $('em-counts');
    header.textContent = '';
    var perType = {};
    visible.forEach(function (r) { perType[r.type] = (perType[r.type] || 0) + 1; });
    header.appendChild(el('span', 'em-count', visible.length + ' of ' + records.length + ' records'));
    types.forEach(function (t) {
      if (!perType[t]) return;
      var s = el('span', 'em-count');
      s.appendChild(swatch(TYPE_COLORS[t])); s.appendChild(document.createTextNode(t + ' ' + perType[t]));
      header.appendChild(s);
    });
    // per type: what the other filters leave
    var others = records.filter(function (r) { return state.layers[r.layer] && passesDate(r) && passesText(r); });
    var n = {};
    others.forEach(function (r) { n[r.type] = (n[r.type] || 0) + 1; });
    Array.prototype.forEach.call($('em-types').querySelectorAll('input'), function (cb) {
      cb.checked = state.types[cb.dataset.type];
      cb.parentNode.querySelector('.em-n').textContent = String(n[cb.dataset.type] || 0);
    });
    Array.prototype.forEach.call($('em-layers').querySelectorAll('input'), function (cb) {
      cb.checked = state.layers[cb.dataset.layer];
    });
  }

  /* ---------- dates, play ---------- */

  function syncSliders() {
    $('em-from').value = state.from - DMIN;
    $('em-to').value = state.to - DMIN;
    $('em-from-label').textContent = dated.length ? dayString(state.from) : 'no dates';
    $('em-to-label').textContent = dated.length ? dayString(state.to) : 'no dates';
    $('em-undated').textContent = undatedCount
      ? undatedCount + ' record(s) without a date: shown only with all dates' : '';
  }

  function buildDates() {
    ['em-from', 'em-to'].forEach(function (id) {
      var s = $(id);
      s.max = String(DMAX - DMIN);
      s.disabled = !dated.length;
      s.addEventListener('input', function () {
        var v = DMIN + Number(s.value);
        if (id === 'em-from') { state.from = v; if (state.to < v) state.to = v; }
        else { state.to = v; if (state.from > v) state.from = v; }
        stopPlay();
        update();
      });
    });
    $('em-reset').addEventListener('click', function () { stopPlay(); state.from = DMIN; state.to = DMAX; update(); });
    $('em-play').addEventListener('click', function () { if (playing) stopPlay(); else startPlay(); });
  }

  var playing = null;
  function startPlay() {
    if (!dated.length) return;
    var width = state.to - state.from;
    if (fullRange()) width = Math.max(0, Math.round((DMAX - DMIN) / 10));
    var step = Math.max(1, Math.round((DMAX - DMIN) / 100));
    state.from = DMIN; state.to = DMIN + width;
    $('em-play').setAttribute('aria-pressed', 'true');
    $('em-play').textContent = 'Pause';
    update();
    playing = setInterval(function () {
      if (state.to >= DMAX) { stopPlay(); return; }
      state.from = Math.min(DMAX, state.from + step);
      state.to = Math.min(DMAX, state.to + step);
      update();
    }, 200);
  }
  function stopPlay() {
    if (!playing) return;
    clearInterval(playing);
    playing = null;
    $('em-play').setAttribute('aria-pressed', 'false');
    $('em-play').textContent = 'Play';
  }

  /* ---------- wiring ---------- */

  var pending = false;
  function update() {
    visible = visibleRecords();
    syncSliders();
    updateCounts();
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; redraw(); writeHash(); });
  }
  /** Draw now (the tests and the first view use it). */
  function updateNow() { visible = visibleRecords(); syncSliders(); updateCounts(); redraw(); writeHash(); }

  /** The first view: the incidents (or events) when there are any, else
   * every record. */
  function fitData(all) {
    var main = visible.filter(function (r) { return r.layer !== 'statements'; });
    var pts = main.length && !all ? main : visible.length ? visible : records;
    if (!pts.length) { map.setView([30, 20], 2); return; }
    var b = L.latLngBounds(pts.map(function (r) { return [r.lat, r.lon]; }));
    map.fitBounds(b.pad(0.15), { maxZoom: 7, animate: false });
  }

  function init() {
    buildTypeFilters();
    buildLayerToggles();
    buildLegend();
    buildDates();
    drawBase();
    var view = readHash();
    visible = visibleRecords();
    if (view) map.setView([view[1], view[2]], view[0], { animate: false }); else fitData();
    $('em-text').value = state.q;
    var timer = null;
    $('em-text').addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = $('em-text').value.trim().toLowerCase(); update(); }, 150);
    });
    map.on('zoomend', function () { forceSpread = {}; });
    map.on('moveend', function () { redraw(); writeHash(); });
    window.addEventListener('hashchange', function () {
      if (hashWriting) { hashWriting = false; return; }
      var v = readHash();
      $('em-text').value = state.q;
      if (v) map.setView([v[1], v[2]], v[0], { animate: false });
      updateNow();
    });
    $('em-fit').addEventListener('click', function () { fitData(true); });
    var toggleBtn = $('em-panel-toggle'), panel = $('em-panel');
    function narrow() { return window.matchMedia('(max-width: 700px)').matches; }
    if (narrow()) { panel.hidden = true; toggleBtn.setAttribute('aria-expanded', 'false'); }
    toggleBtn.addEventListener('click', function () {
      panel.hidden = !panel.hidden;
      toggleBtn.setAttribute('aria-expanded', String(!panel.hidden));
      map.invalidateSize();
    });
    updateNow();
  }

  init();
  var readyMs = performance.now();

  /* What the page shows, for tests and for the curious (read-only). */
  window.eventmap = {
    total: records.length,
    /** ms from navigation start until the first drawing. */
    readyMs: readyMs,
    /** ids of the records drawn on the map now (markers and clusters). */
    drawnIds: function () {
      var out = [];
      drawn.eachLayer(function (l) { (l._emIds || []).forEach(function (i) { out.push(records[i].id); }); });
      return out;
    },
    /** ids passing the filters (drawn when in view). */
    visibleIds: function () { return visible.map(function (r) { return r.id; }); },
    /** The page pixel of a drawn record's marker, or null. */
    markerPoint: function (id) {
      var r = records.filter(function (x) { return x.id === id; })[0];
      if (!r || !markerAt[r.i]) return null;
      var p = map.latLngToContainerPoint(markerAt[r.i]), box = map.getContainer().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
    /** The gazetteer_id of the region outlined now, or null. */
    outlined: function () { return outlined; },
    range: function () { return { min: dayString(DMIN), max: dayString(DMAX), from: dayString(state.from), to: dayString(state.to) }; },
    redraw: updateNow
  };
}());
