/* frontline's map: one Leaflet map drawn from the payloads of dashboard/mapview.py.
 *
 * The same file runs in the dashboard (as a Streamlit component, in the page itself) and
 * in the standalone HTML export (inlined), so both draw the same map. Everything is
 * drawn on one canvas (Leaflet's canvas renderer): territory at the bottom, then the
 * boundaries, then the places, biggest last so that a city sits above its suburbs and a
 * click on it selects it (the places of a day may be painted from a bitmap drawn ahead by
 * stamps.js; their Leaflet layers still take the clicks). Fills are flat colours computed
 * in Python (geo/export/style.py); the legend's swatches are painted with the same fills,
 * so they are the colours drawn.
 * Text from the payload (labels, names) arrives HTML-escaped and is only ever inserted as
 * such; nothing here builds markup from raw data.
 */
(function () {
  "use strict";

  var maps = [];
  var patterns = new Map();
  // payloads this page has received, by key: a render may name one sent earlier
  var kept = { bases: {}, layers: {}, sets: {}, sites: {} };

  // ------------------------------------------------------------------ fills

  /** A canvas fill for a Fill payload: its flat colour, or a hatch over it. */
  function fillStyle(fill) {
    if (!fill.hatch) return fill.colour;
    var key = fill.colour + fill.hatch + fill.hatch_colour;
    if (patterns.has(key)) return patterns.get(key);
    var size = 8;
    var tile = document.createElement("canvas");
    tile.width = tile.height = size;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = fill.colour;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = fill.hatch_colour;
    ctx.lineWidth = 1.3;
    ctx.beginPath();
    if (fill.hatch === "/") {
      ctx.moveTo(0, size); ctx.lineTo(size, 0);
      ctx.moveTo(-1, 1); ctx.lineTo(1, -1);
      ctx.moveTo(size - 1, size + 1); ctx.lineTo(size + 1, size - 1);
    } else {
      ctx.moveTo(0, 0); ctx.lineTo(size, size);
      ctx.moveTo(size - 1, -1); ctx.lineTo(size + 1, 1);
      ctx.moveTo(-1, size - 1); ctx.lineTo(1, size + 1);
    }
    ctx.stroke();
    var pattern = ctx.createPattern(tile, "repeat");
    patterns.set(key, pattern);
    return pattern;
  }

  function pathOptions(fill, renderer) {
    return {
      renderer: renderer,
      fill: true,
      fillColor: fillStyle(fill),
      fillOpacity: 1,
      stroke: Boolean(fill.edge),
      color: fill.edge || "#000",
      weight: fill.edge_width || 0,
      dashArray: fill.dash || null,
      opacity: 1,
    };
  }

  /** A legend swatch: a small canvas painted exactly like the ground it stands for. */
  function swatch(fill) {
    var c = document.createElement("canvas");
    c.width = 18;
    c.height = 12;
    c.className = "frontline-swatch";
    var ctx = c.getContext("2d");
    ctx.fillStyle = fillStyle(fill);
    ctx.fillRect(0, 0, c.width, c.height);
    c.dataset.colour = fill.colour;
    return c;
  }

  function decoded(escaped) {
    if (escaped.indexOf("&") < 0) return escaped; // nothing was escaped
    var t = document.createElement("textarea");
    t.innerHTML = escaped; // escaped text: entities only, never tags
    return t.value;
  }

  function el(tag, className, parent) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (parent) parent.appendChild(e);
    return e;
  }

  // ------------------------------------------------------------------ the canvas

  /** Leaflet's canvas renderer, made cheap for ten thousand markers: a hidden circle (a
   * place not on the map that day, a ring of a place that did not change hands) is
   * skipped, and the context's fill, stroke and dash are set only when they differ from
   * the shape drawn before (setting a colour parses it: most neighbours share theirs).
   * When the day's places are stamped ahead (stamps.js), their bitmap is painted instead
   * of them, in their place in the order; their layers still take the clicks. */
  var Canvas = L.Canvas.extend({
    _draw: function () {
      this._style = {};
      this._stamp = this.stampFor ? this.stampFor() : null;
      this._stamped = false;
      L.Canvas.prototype._draw.call(this);
      this._stamp = null;
    },
    _updateCircle: function (layer) {
      if (this._stamp && this._drawing) {
        // the day's places, drawn ahead (stamps.js), where the first of them goes
        if (!this._stamped) this._drawStamp(this._stamp);
        if (layer.frontlinePlace) return;
      }
      var o = layer.options;
      if (!o.fill && !(o.stroke && o.weight)) return;
      L.Canvas.prototype._updateCircle.call(this, layer);
    },
    _drawStamp: function (bitmap) {
      this._stamped = true;
      var s = this._style || (this._style = {});
      if (s.alpha !== 1) this._ctx.globalAlpha = s.alpha = 1;
      var b = this._bounds, size = b.getSize();
      this._ctx.drawImage(bitmap, b.min.x, b.min.y, size.x, size.y);
    },
    _fillStroke: function (ctx, layer) {
      var o = layer.options;
      var s = this._style || (this._style = {});
      if (o.fill) {
        var fill = o.fillColor || o.color;
        if (s.alpha !== o.fillOpacity) ctx.globalAlpha = s.alpha = o.fillOpacity;
        if (s.fill !== fill) ctx.fillStyle = s.fill = fill;
        ctx.fill(o.fillRule || "evenodd");
      }
      if (o.stroke && o.weight !== 0) {
        var dash = o.dashArray || "";
        if (s.dash !== dash) {
          ctx.setLineDash(o._dashArray || []);
          s.dash = dash;
        }
        if (s.alpha !== o.opacity) ctx.globalAlpha = s.alpha = o.opacity;
        if (s.width !== o.weight) ctx.lineWidth = s.width = o.weight;
        if (s.stroke !== o.color) ctx.strokeStyle = s.stroke = o.color;
        if (s.cap !== o.lineCap) ctx.lineCap = s.cap = o.lineCap;
        if (s.join !== o.lineJoin) ctx.lineJoin = s.join = o.lineJoin;
        ctx.stroke();
      }
    },
  });

  /** Canvas dash arrays by their text, parsed once ("2 2" -> [2, 2]). */
  var dashes = {};
  function dashOf(text) {
    if (!text) return null;
    if (!dashes[text]) dashes[text] = text.split(/[, ]+/).map(Number);
    return dashes[text];
  }

  // ------------------------------------------------------------------ the map

  /** A map in ``container`` and, when given, the day's panel in ``side``. */
  function FrontMap(container, side) {
    this.container = container;
    this.side = side || null;
    this.onSelect = null;
    this.base = null;
    this.layer = null;
    this.selectedId = null;
    this.territory = [];
    this.markers = [];
    this.rings = [];
    this.selection = [];
    this.userMoved = false;
    this.signature = "";
    var map = (this.map = L.map(container, {
      zoomControl: false,
      attributionControl: false,
      minZoom: 4,
      maxZoom: 12,
      zoomSnap: 0.25,
      preferCanvas: true,
    }));
    map.createPane("frontline-base").style.zIndex = 250;
    map.createPane("frontline-labels").style.zIndex = 620;
    this.baseRenderer = L.canvas({ pane: "frontline-base", padding: 0.3 });
    this.renderer = new Canvas({ padding: 0.1, tolerance: 3 });
    var self = this;
    var Stamps = window.FrontlineStamps;
    this.stamps = Stamps && Stamps.supported() ? new Stamps() : null;
    this.renderer.stampFor = function () {
      return self.stamps && self.layer ? self.stamps.get(self.layer.key, self.viewKey()) : null;
    };
    this.renderer.on("update", function () {
      // after Leaflet has moved its paths: the new view's stamps, from the day shown
      if (self.stamps) setTimeout(function () { self.stampDays(); }, 0);
    });
    map.on("dragstart zoomstart", function (e) {
      if (!self.fitting) self.userMoved = true;
    });
    map.on("click", function () {
      map.closeTooltip && map.eachLayer(function (l) { if (l.closeTooltip) l.closeTooltip(); });
    });
    this.titleBox = this.control("topleft", "frontline-title");
    L.control.zoom({ position: "topleft" }).addTo(map);
    this.legendBox = this.control("topright", "frontline-legend");
    L.control.scale({ position: "bottomleft", imperial: false }).addTo(map);
    this.attributionBox = this.control("bottomright", "frontline-attribution");
    if (window.ResizeObserver) {
      this.resized = new ResizeObserver(function () {
        if (!self.alive()) return; // unmounted by a rerun: its box shrinks to nothing
        map.invalidateSize({ animate: false });
        if (!self.userMoved) self.fit();
      });
      this.resized.observe(container);
    }
    maps.push(this);
  }

  FrontMap.prototype.control = function (position, className) {
    var box;
    var Box = L.Control.extend({
      onAdd: function () {
        box = L.DomUtil.create("div", "frontline-box " + className);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      },
    });
    new Box({ position: position }).addTo(this.map);
    return box;
  };

  /** Whether the map is still on the page (a rerun may have unmounted it). */
  FrontMap.prototype.alive = function () {
    return Boolean(this.map._mapPane) && this.container.isConnected;
  };

  FrontMap.prototype.fit = function () {
    if (!this.base || !this.alive()) return;
    var legend = this.legendBox.getBoundingClientRect();
    var title = this.titleBox.getBoundingClientRect();
    this.fitting = true;
    this.map.fitBounds(this.base.bounds, {
      paddingTopLeft: [12, 16 + (title.height || 0)],
      paddingBottomRight: [20 + (legend.width || 0), 28],
      animate: false,
    });
    this.fitting = false;
  };

  FrontMap.prototype.setBase = function (base) {
    var map = this.map;
    (this.baseLayers || []).forEach(function (l) { l.remove(); });
    this.baseLayers = [];
    this.base = base;
    map.getContainer().style.background = base.background;
    if (base.tiles) {
      this.baseLayers.push(
        L.tileLayer(base.tiles, { opacity: 0.6, attribution: "" }).addTo(map)
      );
    }
    var self = this;
    base.layers.forEach(function (spec) {
      var renderer = spec.over ? self.renderer : self.baseRenderer;
      var layer = L.geoJSON(spec.geojson, {
        interactive: false,
        style: function () {
          return {
            renderer: renderer,
            fill: Boolean(spec.fill),
            fillColor: spec.fill || "#000",
            fillOpacity: base.tiles && !spec.over ? 0 : 1,
            color: spec.edge,
            weight: spec.weight,
            dashArray: spec.dash || null,
            opacity: 1,
          };
        },
      }).addTo(map);
      self.baseLayers.push(layer);
    });
    base.cities.forEach(function (c) {
      var icon = L.divIcon({
        html: '<span class="frontline-city">' + c.label + "</span>",
        className: "frontline-label",
        iconSize: null,
        iconAnchor: [-5, 8],
      });
      self.baseLayers.push(
        L.marker([c.lat, c.lon], {
          icon: icon, interactive: false, keyboard: false, pane: "frontline-labels",
        }).addTo(map)
      );
    });
    this.attributionBox.innerHTML = base.attribution;
    if (this.territory.length) this.orderLayers();
    this.raisePlaces();
    this.fit();
  };

  FrontMap.prototype.orderLayers = function () {
    for (var i = this.territory.length - 1; i >= 0; i--) this.territory[i].bringToBack();
  };

  /** A day's territory rings (see dashboard/columns.py): integer steps of 1/scale
   * degree, longitude first, the first point of a feature absolute. */
  function latLngs(polys, scale) {
    var x = 0, y = 0;
    return polys.map(function (rings) {
      return rings.map(function (flat) {
        var out = new Array(flat.length / 2);
        for (var k = 0; k < flat.length; k += 2) {
          x += flat[k];
          y += flat[k + 1];
          out[k / 2] = L.latLng(y / scale, x / scale);
        }
        return out;
      });
    });
  }

  FrontMap.prototype.setLayer = function (layer) {
    var sites = kept.sites[layer.sites];
    if (!sites) throw new Error("the places of layer " + layer.key + " are not here");
    var map = this.map;
    var self = this;
    this.territory.forEach(function (l) { l.remove(); });
    this.territory = [];
    this.layer = layer;
    var scale = layer.territory.scale;
    layer.territory.features.forEach(function (f) {
      if (!f.p.length) return;
      var fill = layer.fills[f.f];
      var poly = L.polygon(latLngs(f.p, scale), pathOptions(fill, self.renderer));
      poly.bindTooltip(f.label, {
        sticky: true, direction: "auto", className: "frontline-tip", opacity: 1,
      });
      poly.addTo(map);
      self.territory.push(poly);
    });
    this.orderLayers();
    this.useSites(sites, layer.sites);
    this.restyle(layer.places);
    this.stampDays();
    this.titleBox.innerHTML = layer.title;
    this.drawLegend(layer.legend);
    this.drawSide(layer);
    this.redrawSelection();
  };

  /** One marker (and one ring, hidden unless the place changed hands) per place of the
   * view, made once: a new day restyles only the places whose mark differs. Markers keep
   * the sites' draw order on the one canvas: a later one is on top and wins a click. */
  FrontMap.prototype.useSites = function (sites, key) {
    if (this.sitesKey === key) return;
    var map = this.map;
    var self = this;
    this.rings.concat(this.markers).forEach(function (l) { l.remove(); });
    this.sites = sites;
    this.sitesKey = key;
    this.byId = {};
    this.drawn = new Array(sites.id.length).fill(null);
    var tip = { direction: "auto", className: "frontline-tip", opacity: 1 };
    this.rings = sites.id.map(function (id, i) {
      var ring = L.circleMarker([sites.lat[i], sites.lon[i]], {
        renderer: self.renderer, radius: sites.r[i], color: "#000", weight: 2,
        stroke: false, fill: false, interactive: false,
      });
      ring.frontlinePlace = true;
      return ring.addTo(map);
    });
    this.markers = sites.id.map(function (id, i) {
      self.byId[id] = i;
      var m = L.circleMarker([sites.lat[i], sites.lon[i]], {
        renderer: self.renderer, radius: sites.r[i], stroke: false, fill: false,
        fillOpacity: 1, opacity: 1, interactive: false,
      });
      m.placeId = id;
      m.frontlinePlace = true;
      m.bindTooltip(function () { return self.labelOf(i); }, tip);
      m.on("tooltipopen", function () { self.openTip = m; });
      m.on("click", function (e) {
        L.DomEvent.stop(e);
        m.closeTooltip();
        self.select({ id: id, lat: sites.lat[i], lon: sites.lon[i], r: sites.r[i] }, true);
      });
      return m.addTo(map);
    });
  };

  /** The day's marks on the view's markers: only those whose style differs change, in
   * their options, and the canvas is redrawn once, whole (Leaflet's setStyle would
   * parse each dash and extend the redrawn area marker by marker). */
  FrontMap.prototype.restyle = function (places) {
    var styles = places.marks.map(function (k) {
      return [k.fill, k.edge, k.ew, k.dash, k.ring].join("|");
    });
    var sites = this.sites;
    for (var i = 0; i < places.mark.length; i++) {
      var k = places.mark[i];
      var style = k < 0 ? "" : styles[k];
      if (style === this.drawn[i]) continue;
      this.drawn[i] = style;
      var o = this.markers[i].options, ring = this.rings[i];
      var mark = k < 0 ? null : places.marks[k];
      o.interactive = o.fill = Boolean(mark);
      ring.options.stroke = Boolean(mark && mark.ring);
      if (!mark) {
        o.stroke = false;
        continue;
      }
      o.fillColor = mark.fill;
      o.stroke = mark.ew > 0;
      o.color = mark.edge;
      o.weight = mark.ew;
      o.dashArray = mark.dash || null;
      o._dashArray = dashOf(mark.dash);
      if (mark.ring && ring.getRadius() !== sites.r[i] + mark.ring) {
        ring.setRadius(sites.r[i] + mark.ring);
      }
    }
    this.redrawAll();
    var open = this.openTip;
    if (open && open.isTooltipOpen()) open.getTooltip().update();
  };

  /** What the stamps of the day's places hold for: zoom, pixel origin, canvas bounds. */
  FrontMap.prototype.viewKey = function () {
    var r = this.renderer, b = r._bounds;
    if (!r._map || !b || !this.alive()) return "";
    var o = this.map.getPixelOrigin();
    return [this.sitesKey, this.map.getZoom(), o.x, o.y, b.min.x, b.min.y, b.max.x, b.max.y,
            L.Browser.retina ? 2 : 1].join(",");
  };

  /** Have the worker stamp the days of the set shown, nearest the day shown first (a new
   * view first sends where each place is on the canvas). */
  FrontMap.prototype.stampDays = function () {
    var stamps = this.stamps, sites = this.sites, layer = this.layer;
    var set = this.setKey ? kept.sets[this.setKey] : null;
    if (!stamps || !sites || !layer || !set || layer.sites !== this.sitesKey) return;
    if (!this.alive()) return;
    var key = this.viewKey();
    if (!key) return;
    if (key !== stamps.view) {
      var b = this.renderer._bounds, size = b.getSize(), n = sites.id.length;
      var x = new Float32Array(n), y = new Float32Array(n);
      for (var i = 0; i < n; i++) {
        var p = this.map.latLngToLayerPoint([sites.lat[i], sites.lon[i]]);
        x[i] = p.x - b.min.x;
        y[i] = p.y - b.min.y;
      }
      stamps.setView(key, size.x, size.y, L.Browser.retina ? 2 : 1, x, y,
                     Float32Array.from(sites.r));
    }
    var days = Object.keys(set).sort();
    var at = Math.max(0, days.indexOf(layer.day));
    var layers = days
      .map(function (d, k) { return { layer: set[d], far: Math.abs(k - at) + (k < at ? 0.5 : 0) }; })
      .filter(function (d) { return d.layer.sites === layer.sites; })
      .sort(function (a, b) { return a.far - b.far; })
      .map(function (d) { return d.layer; });
    stamps.want(layers);
  };

  /** The whole canvas at the next frame (Leaflet 1.9's renderer: its redraw area set
   * to everything it covers, so a later request cannot narrow it). */
  FrontMap.prototype.redrawAll = function () {
    var r = this.renderer;
    if (!r._map || !r._bounds) return;
    r._redrawBounds = L.bounds(r._bounds.min, r._bounds.max);
    r._redrawRequest = r._redrawRequest || L.Util.requestAnimFrame(r._redraw, r);
  };

  /** A place's tooltip on the day shown: its name, then holder, status, provenance and
   * since when (every part escaped in Python, see dashboard/columns.py). */
  FrontMap.prototype.labelOf = function (i) {
    var p = this.layer.places;
    var k = p.mark[i];
    if (k < 0) return this.sites.name[i];
    var s = p.since[i];
    return this.sites.name[i] + " — " + p.marks[k].label + (s >= 0 ? ", since " + p.sinces[s] : "");
  };

  /** Places above the territory and the boundaries again (after a new base map). */
  FrontMap.prototype.raisePlaces = function () {
    this.rings.concat(this.markers, this.selection).forEach(function (l) { l.bringToFront(); });
  };

  /** Beside (or below) the map: what changed that day, each a button selecting its place;
   * then the area each actor holds, every actor labelled. */
  FrontMap.prototype.drawSide = function (layer) {
    var side = this.side;
    if (!side) return;
    var self = this;
    side.textContent = "";
    el("h3", "frontline-side-head", side).innerHTML = "What changed on " + layer.date;
    var changes = layer.changes || [];
    var item = function (c, list) {
      var li = el("li", "", list);
      var b = el("button", "frontline-change", li);
      b.type = "button";
      b.dataset.id = c.id;
      el("b", "", b).innerHTML = c.place;
      el("span", "frontline-change-what", b).innerHTML = " " + c.what;
      el("span", "frontline-change-detail", b).innerHTML = " · " + c.detail;
      b.addEventListener("click", function () {
        self.select({ id: c.id, lat: c.lat, lon: c.lon, r: c.r }, true);
      });
    };
    var reported = changes.filter(function (c) { return !c.inferred; });
    var inferred = changes.filter(function (c) { return c.inferred; });
    if (!changes.length) {
      el("p", "frontline-none", side).textContent =
        "Nothing changed hands, and nothing became contested or uncertain.";
    }
    var total = layer.changes_total || { reported: reported.length, inferred: inferred.length };
    if (reported.length) {
      var list = el("ul", "frontline-changes", side);
      reported.forEach(function (c) { item(c, list); });
      if (total.reported > reported.length) {
        el("p", "frontline-none", side).textContent =
          "and " + (total.reported - reported.length) + " more: all are in the CSV export";
      }
    }
    if (inferred.length) {
      var more = el("details", "frontline-inferred", side);
      el("summary", "", more).textContent =
        "and " + total.inferred + " places the territory model moved (inferred)";
      var shown = el("ul", "frontline-changes", more);
      inferred.forEach(function (c) { item(c, shown); });
      if (total.inferred > inferred.length) {
        el("p", "frontline-none", more).textContent =
          "and " + (total.inferred - inferred.length) + " more: all are in the CSV export";
      }
    }
    this.drawOverview(layer.overview || {});
    var areas = layer.areas || [];
    if (areas.length) {
      el("h4", "frontline-side-head", side).textContent = "Area held that day";
      var most = areas[0].km2 || 1;
      var box = el("div", "frontline-areas", side);
      areas.forEach(function (a) {
        var row = el("div", "frontline-area", box);
        el("span", "frontline-area-name", row).innerHTML = a.actor;
        var bar = el("span", "frontline-area-bar", row);
        var fillBar = el("span", "", bar);
        fillBar.style.width = Math.max(0.5, (100 * a.km2) / most) + "%";
        fillBar.style.background = a.colour;
        el("span", "frontline-area-km2", row).textContent = a.km2.toLocaleString("en") + " km²";
      });
    }
    this.markSelectedItem();
  };

  /** Changes of control reported per day, stacked by actor, the chosen day marked. */
  FrontMap.prototype.drawOverview = function (o) {
    if (!o.days || !o.series || !o.series.length) return;
    var side = this.side;
    el("h4", "frontline-side-head", side).textContent = "Changes reported per day";
    var NS = "http://www.w3.org/2000/svg";
    var w = 300, h = 120, left = 18, bottom = 16, top = 12;
    var n = o.days.length, band = (w - left) / n;
    var totals = o.days.map(function (_, i) {
      return o.series.reduce(function (t, s) { return t + s.counts[i]; }, 0);
    });
    var most = Math.max.apply(null, totals.concat([1]));
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("class", "frontline-overview");
    svg.setAttribute("role", "img");
    var add = function (tag, attrs, parent) {
      var e = document.createElementNS(NS, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      (parent || svg).appendChild(e);
      return e;
    };
    var y = function (v) { return h - bottom - ((h - bottom - top) * v) / most; };
    if (o.chosen >= 0) {
      add("rect", { x: left + o.chosen * band, y: 0, width: band, height: h - bottom,
                    fill: "#F2E6B8", class: "frontline-overview-day" });
    }
    add("text", { x: 0, y: y(most) + 4, class: "frontline-overview-axis" }).textContent = most;
    add("text", { x: 0, y: y(0), class: "frontline-overview-axis" }).textContent = "0";
    o.days.forEach(function (label, i) {
      var base = 0;
      o.series.forEach(function (s) {
        var v = s.counts[i];
        if (!v) return;
        var r = add("rect", { x: left + i * band + 2, y: y(base + v), width: band - 4,
                              height: y(base) - y(base + v), fill: s.colour,
                              opacity: i === o.chosen ? 1 : 0.6 });
        add("title", {}, r).textContent = decoded(label) + ": " + v + " · " + decoded(s.actor);
        base += v;
      });
      var end = (i === 0 || i === n - 1) && Math.abs(i - o.chosen) > 1;
      if (end || i === o.chosen) {
        var t = add("text", { x: left + (i + 0.5) * band, y: h - 3, "text-anchor": "middle",
                              class: "frontline-overview-axis" });
        t.textContent = decoded(label);
      }
    });
    side.appendChild(svg);
  };

  FrontMap.prototype.markSelectedItem = function () {
    if (!this.side) return;
    var id = this.selectedId;
    Array.prototype.forEach.call(this.side.querySelectorAll(".frontline-change"), function (b) {
      b.classList.toggle("frontline-selected", b.dataset.id === id);
    });
  };

  FrontMap.prototype.drawLegend = function (legend) {
    var box = this.legendBox;
    box.textContent = "";
    var head = el("div", "frontline-legend-head", box);
    head.innerHTML = legend.title;
    var table = el("table", "frontline-legend-table", box);
    var tr = el("tr", "", table);
    legend.columns.forEach(function (c) { el("th", "", tr).innerHTML = c; });
    el("th", "", tr);
    var self = this;
    legend.rows.forEach(function (row) {
      var r = el("tr", "", table);
      row.cells.forEach(function (i, k) {
        var td = el("td", "", r);
        if (i !== null) {
          var s = swatch(self.layer.fills[i]);
          s.dataset.actor = decoded(row.label);
          s.dataset.column = decoded(legend.columns[k]);
          td.appendChild(s);
        }
      });
      el("td", "frontline-legend-name", r).innerHTML = row.label;
    });
    var marks = el("div", "frontline-legend-marks", box);
    legend.marks.forEach(function (m) {
      var line = el("div", "", marks);
      el("span", "frontline-mark frontline-mark-" + m.kind, line);
      el("span", "", line).innerHTML = m.label;
    });
    legend.notes.forEach(function (n) { el("div", "frontline-legend-note", box).innerHTML = n; });
  };

  FrontMap.prototype.select = function (place, fromUser) {
    this.selectedId = place ? place.id : null;
    this.selectedPlace = place || null;
    this.redrawSelection();
    this.markSelectedItem();
    if (fromUser && this.onSelect) this.onSelect(this.selectedId);
  };

  FrontMap.prototype.redrawSelection = function () {
    var map = this.map;
    var self = this;
    this.selection.forEach(function (l) { l.remove(); });
    this.selection = [];
    var p = this.selectedPlace;
    if (!p) { this.markDrawn(); return; }
    var at = this.byId ? this.byId[p.id] : undefined;
    var r = (at !== undefined ? this.sites.r[at] : p.r || 4) + 7;
    [["#FFFFFF", 5, null], ["#111111", 2.5, "5 4"]].forEach(function (s) {
      self.selection.push(
        L.circleMarker([p.lat, p.lon], {
          renderer: self.renderer, radius: r, color: s[0], weight: s[1], dashArray: s[2],
          fill: false, interactive: false,
        }).addTo(map)
      );
    });
    this.markDrawn();
  };

  /** The drawn state, once the canvas has painted it (Leaflet paints on the next frame). */
  FrontMap.prototype.markDrawn = function () {
    var self = this;
    var sig = (this.layer ? this.layer.key : "") + "|" + (this.selectedId || "");
    requestAnimationFrame(function () {
      self.signature = sig;
      self.container.dataset.drawn = sig;
    });
  };

  /** The data of a render (the Streamlit component's, or the standalone page's): the
   * payloads it carries are kept, the ones it names by key are taken from what was kept
   * (see dashboard/component.py). */
  FrontMap.prototype.update = function (data) {
    var parse = function (p) { return typeof p === "string" ? JSON.parse(p) : p; };
    if (data.base) kept.bases[data.base_key] = parse(data.base);
    if (data.sites) kept.sites[data.sites_key] = parse(data.sites);
    this.sitesWanted = data.sites_key || this.sitesWanted;
    if (data.layer) kept.layers[data.layer_key] = parse(data.layer);
    if (data.layers) {
      var set = parse(data.layers);
      kept.sets[data.set_key] = set;
      Object.keys(set).forEach(function (day) { kept.layers[set[day].key] = set[day]; });
    }
    this.setKey = data.set_key || this.setKey;
    this.slider = data.slider || this.slider;
    var base = kept.bases[data.base_key];
    if (base && data.base_key !== this.baseKey) {
      this.baseKey = data.base_key;
      this.setBase(base);
    }
    // The slider is ahead of the server while a step's run is on its way (or behind
    // another session's work): the day it shows wins when this page holds that day's
    // layer of the current set, so a late answer never draws an earlier day.
    this.show(this.sliderLayer(data.set_key) || kept.layers[data.layer_key]);
    if (data.layers) this.stampDays();
    var sel = data.selected || null;
    if ((sel ? sel.id : null) !== this.selectedId || (sel && !this.selectedPlace)) {
      this.select(sel, false);
    } else {
      this.markDrawn();
    }
  };

  FrontMap.prototype.show = function (layer) {
    if (!layer || layer.key === this.layerKey) return;
    this.layerKey = null; // set once drawn: a draw that throws is tried again next time
    this.setLayer(layer);
    this.layerKey = layer.key;
  };

  /** What this page holds, for the server to send only what it lacks. */
  FrontMap.prototype.holding = function () {
    return { base: kept.bases[this.baseKey] ? this.baseKey : null,
             sites: kept.sites[this.sitesWanted] ? this.sitesWanted : null,
             set: this.setKey && kept.sets[this.setKey] ? this.setKey : null };
  };

  /** A step of the day slider, drawn at once from the day's layer held here (the
   * server's answer follows, and confirms it). */
  FrontMap.prototype.predict = function (input) {
    var layer = this.map ? this.dayLayer(this.setKey, input) : null;
    if (layer) {
      this.show(layer);
      this.markDrawn();
    }
  };

  /** The layer of the day ``input`` (a range slider, microseconds since the epoch)
   * shows, from the set ``setKey`` if this page holds it; else null. */
  FrontMap.prototype.dayLayer = function (setKey, input) {
    var set = kept.sets[setKey];
    var micros = input ? Number(input.getAttribute("value")) : NaN;
    if (!set || !isFinite(micros)) return null;
    return set[new Date(micros / 1000).toISOString().slice(0, 10)] || null;
  };

  /** The layer of the day the page's own slider shows now (see ``dayLayer``). */
  FrontMap.prototype.sliderLayer = function (setKey) {
    if (!this.slider || !setKey) return null;
    var inputs = document.querySelectorAll('input[type="range"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].getAttribute("aria-label") === this.slider) {
        return this.dayLayer(setKey, inputs[i]);
      }
    }
    return null;
  };

  // ------------------------------------------------------------------ what tests read

  function clientPoint(m, latlng, box) {
    box = box || m.map.getContainer().getBoundingClientRect();
    var p = m.map.latLngToContainerPoint(latlng);
    return { x: box.left + p.x, y: box.top + p.y };
  }

  function rect(e) {
    var r = e.getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  }

  /** Where everything is on screen, for the browser tests and the bench. */
  function live() {
    return maps.filter(function (m) { return m.container.isConnected; });
  }

  function inspect(i) {
    var m = live()[i || 0];
    if (!m) return null;
    var markers = [];
    var box = m.map.getContainer().getBoundingClientRect();
    m.markers.forEach(function (l, i) {
      if (!m.drawn[i]) return; // not on the map that day
      var at = clientPoint(m, l.getLatLng(), box);
      markers.push({ id: l.placeId, label: decoded(m.labelOf(i)), x: at.x, y: at.y,
                     r: m.sites.r[i] });
    });
    var swatches = Array.prototype.map.call(
      m.legendBox.querySelectorAll("canvas.frontline-swatch"),
      function (c) {
        var r = rect(c);
        return { actor: c.dataset.actor, column: c.dataset.column, colour: c.dataset.colour,
                 x: r.x, y: r.y, width: r.width, height: r.height };
      }
    );
    var b = m.base ? m.base.country : null;
    var country = null;
    if (b) {
      var nw = clientPoint(m, [b[1][0], b[0][1]]);
      var se = clientPoint(m, [b[0][0], b[1][1]]);
      country = { x: nw.x, y: nw.y, width: se.x - nw.x, height: se.y - nw.y };
    }
    var changes = m.side
      ? Array.prototype.map.call(m.side.querySelectorAll(".frontline-change"), function (b) {
          var r = rect(b);
          return { id: b.dataset.id, text: b.textContent, x: r.x, y: r.y,
                   width: r.width, height: r.height, visible: r.width > 0 };
        })
      : [];
    return {
      signature: m.signature,
      holding: m.reported || null,
      // the days whose places are stamped for the view shown, and whether the one shown is
      stamps: m.stamps ? Array.from(m.stamps.stamps.keys()) : [],
      stamped: Boolean(m.layer && m.renderer.stampFor()),
      side: m.side ? rect(m.side) : null,
      changes: changes,
      day: m.layer ? m.layer.day : null,
      selected: m.selectedId,
      map: rect(m.container),
      legend: rect(m.legendBox),
      title: rect(m.titleBox),
      attribution: rect(m.attributionBox),
      country: country,
      markers: markers,
      swatches: swatches,
    };
  }

  function project(lat, lon, i) {
    var m = live()[i || 0];
    return m ? clientPoint(m, [lat, lon]) : null;
  }

  // ------------------------------------------------------------------ entry points

  var byElement = new WeakMap();

  var watching = false;

  /** Steps of the day slider (its ``value`` attribute: microseconds since the epoch). */
  function watchSliders() {
    if (watching) return;
    watching = true;
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        var t = r.target;
        if (t.tagName !== "INPUT" || t.type !== "range") return;
        live().forEach(function (m) {
          if (m.slider && t.getAttribute("aria-label") === m.slider) m.predict(t);
        });
      });
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["value"] });
  }

  /** A Streamlit v2 component render: mount once per element, then update. */
  function render(component) {
    var root = component.parentElement;
    var container = root.querySelector(".frontline-map");
    var m = byElement.get(container);
    if (!m) {
      m = new FrontMap(container, root.querySelector(".frontline-side"));
      byElement.set(container, m);
    }
    m.onSelect = function (id) {
      component.setTriggerValue("selected", id);
    };
    m.update(component.data);
    watchSliders();
    var have = m.holding();
    if (JSON.stringify(have) !== JSON.stringify(m.reported)) {
      m.reported = have;
      component.setStateValue("have", have);
    }
    return function () {
      var at = maps.indexOf(m);
      if (at >= 0) maps.splice(at, 1);
      byElement.delete(container);
      if (m.stamps) m.stamps.stop();
      if (m.resized) m.resized.disconnect();
      m.map.remove();
    };
  }

  /** The standalone page: its payload sits in a JSON script element. */
  function standalone(container, dataElement, side) {
    var data = JSON.parse(dataElement.textContent);
    var m = new FrontMap(container, side);
    m.update(data);
    return m;
  }

  window.FrontlineMap = {
    maps: maps,
    render: render,
    standalone: standalone,
    inspect: inspect,
    project: project,
    live: live,
    signature: function (i) { var m = live()[i || 0]; return m ? m.signature : ""; },
  };
})();
