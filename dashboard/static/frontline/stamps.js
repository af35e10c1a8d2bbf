/* frontline's place stamps: every day's markers and rings, drawn ahead in a worker.
 *
 * Why: on a big build the map shows some 10,000 places, and on a day of collapse most of
 * them changed hands (a ring each). Where the canvas is rasterised in software (no GPU,
 * or a headless browser) 20,000 small shapes take a tenth of a second or more to paint,
 * whatever their size, and a slider step paints them all again. Here, once the days of a
 * view are in the page, a worker draws each day's places on a transparent bitmap of the
 * map's canvas, on another core; a step then paints one bitmap where the places go
 * (map.js's renderer), and Leaflet's own markers, still there unpainted, keep taking the
 * clicks and tooltips.
 *
 * A stamp holds for one view (zoom, pixel origin, canvas bounds): a pan or zoom drops
 * them all, the next draws are direct, and the worker starts again from the day shown.
 * The worker draws what map.js's renderer draws, in the same order (every ring, then
 * every marker, smallest first), with the same styles; where there is no worker or no
 * OffscreenCanvas, nothing is stamped and every draw is direct.
 */
(function () {
  "use strict";

  /** Stamps kept at most (one per day of a view; a bitmap is the canvas's size). */
  var MAX_STAMPS = 12;

  /** The worker's code: one view's places (positions on the canvas, radii), then days. */
  function worker() {
    var view = null;
    var dashes = {};
    function dashOf(text) {
      if (!text) return [];
      if (!dashes[text]) dashes[text] = text.split(/[, ]+/).map(Number);
      return dashes[text];
    }
    self.onmessage = function (e) {
      var m = e.data;
      if (m.type === "view") {
        view = m;
        return;
      }
      if (!view || m.view !== view.key) return;
      var c = new OffscreenCanvas(view.width * view.ratio, view.height * view.ratio);
      var ctx = c.getContext("2d");
      ctx.scale(view.ratio, view.ratio);
      ctx.lineCap = ctx.lineJoin = "round";
      var marks = m.marks, mark = m.mark, x = view.x, y = view.y, r = view.r;
      var i, k, o;
      // the rings of places that changed hands: under every marker, black, 2 px
      ctx.globalAlpha = 1;
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 2;
      for (i = 0; i < mark.length; i++) {
        k = mark[i];
        if (k < 0 || !marks[k].ring) continue;
        ctx.beginPath();
        ctx.arc(x[i], y[i], Math.max(Math.round(r[i] + marks[k].ring), 1), 0, Math.PI * 2, false);
        ctx.stroke();
      }
      // the markers: filled like their ground, edged by their status
      for (i = 0; i < mark.length; i++) {
        k = mark[i];
        if (k < 0) continue;
        o = marks[k];
        ctx.beginPath();
        ctx.arc(x[i], y[i], Math.max(Math.round(r[i]), 1), 0, Math.PI * 2, false);
        ctx.fillStyle = o.fill;
        ctx.fill("evenodd");
        if (o.ew > 0) {
          ctx.setLineDash(dashOf(o.dash));
          ctx.lineWidth = o.ew;
          ctx.strokeStyle = o.edge;
          ctx.stroke();
        }
      }
      var bitmap = c.transferToImageBitmap();
      self.postMessage({ key: m.key, view: m.view, bitmap: bitmap }, [bitmap]);
    };
  }

  function Stamps() {
    this.worker = null;
    this.view = null;
    this.stamps = new Map(); // layer key -> ImageBitmap, of this.view
    this.queue = []; // layers to draw, in the order wanted
    this.busy = false;
    this.drawing = null; // "view|layer key" of what the worker is drawing
    this.failed = false;
  }

  Stamps.supported = function () {
    return typeof Worker !== "undefined" && typeof OffscreenCanvas !== "undefined" &&
      typeof Blob !== "undefined" && typeof URL !== "undefined";
  };

  Stamps.prototype.start = function () {
    if (this.worker) return true;
    try {
      var code = "(" + worker.toString() + ")();";
      var url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      this.worker = new Worker(url);
      URL.revokeObjectURL(url);
    } catch (err) {
      this.worker = null; // a page that forbids workers: every draw stays direct
      return false;
    }
    var self = this;
    this.worker.onmessage = function (e) { self.received(e.data); };
    this.worker.onerror = function () { self.stop(); }; // e.g. no 2D context in workers
    return true;
  };

  /** A new view: ``key`` names it; ``x``, ``y`` are each place's position on the canvas
   * (CSS pixels from its top left), ``r`` its radius. Stamps of the old view are dropped. */
  Stamps.prototype.setView = function (key, width, height, ratio, x, y, r) {
    if (this.failed || !this.start()) return;
    this.clear();
    this.view = key;
    this.worker.postMessage({ type: "view", key: key, width: width, height: height,
                              ratio: ratio, x: x, y: y, r: r });
  };

  /** Draw these layers (``{key, places}``), in this order, those not drawn yet. */
  Stamps.prototype.want = function (layers) {
    var self = this;
    // neither those stamped nor the one the worker is drawing now for this view
    this.queue = layers.filter(function (l) {
      return !self.stamps.has(l.key) && self.view + "|" + l.key !== self.drawing;
    });
    this.next();
  };

  Stamps.prototype.next = function () {
    if (this.busy || !this.view || !this.worker) return;
    var layer = this.queue.shift();
    if (!layer) return;
    this.busy = true;
    this.drawing = this.view + "|" + layer.key;
    this.worker.postMessage({ type: "day", view: this.view, key: layer.key,
                              mark: layer.places.mark, marks: layer.places.marks });
  };

  Stamps.prototype.received = function (m) {
    this.busy = false;
    this.drawing = null;
    if (m.view === this.view) {
      this.stamps.set(m.key, m.bitmap);
      while (this.stamps.size > MAX_STAMPS) {
        var oldest = this.stamps.keys().next().value;
        this.stamps.get(oldest).close();
        this.stamps.delete(oldest);
      }
    } else {
      m.bitmap.close();
    }
    this.next();
  };

  /** The stamp of ``layerKey`` in view ``view``, or null. */
  Stamps.prototype.get = function (layerKey, view) {
    return view === this.view ? this.stamps.get(layerKey) || null : null;
  };

  Stamps.prototype.clear = function () {
    this.stamps.forEach(function (b) { b.close(); });
    this.stamps.clear();
    this.queue = [];
    this.view = null;
  };

  /** No more stamps from this page's worker (the map is gone, or the worker failed). */
  Stamps.prototype.stop = function () {
    this.clear();
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.failed = true;
    this.busy = false;
    this.drawing = null;
  };

  window.FrontlineStamps = Stamps;
})();
