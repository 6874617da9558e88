// modelgate HTML report: draws the charts from the JSON data element. Only formats what the report holds.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('modelgate-data').textContent);
  var ORIG = '#3b6fb6', MOD = '#e07b24';
  var ORIG_LIGHT = 'rgba(59,111,182,0.35)', MOD_LIGHT = 'rgba(224,123,36,0.35)';

  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#374151';
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.title.font = { size: 13, weight: '600' };
  Chart.defaults.plugins.legend.labels.boxWidth = 14;

  function num(v) {
    if (v === null || v === undefined) return '-';
    if (v === 0) return '0';
    var a = Math.abs(v);
    if (a >= 1e4 || a < 1e-3) return v.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
    return String(Number(v.toPrecision(3)));
  }

  // Positive values only on a log axis: 0 and missing values are left out (no bar).
  function positive(values) {
    return values.map(function (v) { return v !== null && v > 0 ? v : null; });
  }

  function chart(id, config) {
    var el = document.getElementById(id);
    if (el) new Chart(el, config);
  }

  // Horizontal reference lines across the plot (rule limits), drawn after the datasets.
  var hlines = {
    id: 'hlines',
    afterDatasetsDraw: function (c, args, opts) {
      if (!opts || !opts.lines) return;
      var ctx = c.ctx, area = c.chartArea, y = c.scales.y;
      opts.lines.forEach(function (line) {
        var py = y.getPixelForValue(line.value);
        if (py < area.top - 1 || py > area.bottom + 1) return;
        ctx.save();
        ctx.strokeStyle = line.color; ctx.lineWidth = 1.5; ctx.setLineDash([6, 4]);
        ctx.beginPath(); ctx.moveTo(area.left, py); ctx.lineTo(area.right, py); ctx.stroke();
        ctx.setLineDash([]); ctx.font = '11px sans-serif'; ctx.textAlign = 'right'; ctx.textBaseline = 'bottom';
        var w = ctx.measureText(line.label).width;
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(area.right - w - 8, py - 17, w + 8, 15);
        ctx.fillStyle = line.color;
        ctx.fillText(line.label, area.right - 4, py - 3);
        ctx.restore();
      });
    }
  };

  // Whiskers from q1 to q3 over each bar of a dataset that carries them.
  var whiskers = {
    id: 'whiskers',
    afterDatasetsDraw: function (c) {
      var ctx = c.ctx, y = c.scales.y;
      c.data.datasets.forEach(function (ds, i) {
        if (!ds.whiskers) return;
        c.getDatasetMeta(i).data.forEach(function (bar, j) {
          var w = ds.whiskers[j];
          if (!w || w[0] === null || w[1] === null) return;
          var lo = y.getPixelForValue(w[0]), hi = y.getPixelForValue(w[1]), cap = Math.min(14, bar.width / 4);
          ctx.save();
          ctx.strokeStyle = '#111827'; ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(bar.x, lo); ctx.lineTo(bar.x, hi);
          ctx.moveTo(bar.x - cap, lo); ctx.lineTo(bar.x + cap, lo);
          ctx.moveTo(bar.x - cap, hi); ctx.lineTo(bar.x + cap, hi);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };

  function logAxis(title) {
    return {
      type: 'logarithmic',
      title: { display: true, text: title },
      ticks: {
        callback: function (v) {
          var e = Math.log10(v);
          return Math.abs(e - Math.round(e)) < 1e-9 ? num(v) : '';
        }
      }
    };
  }

  // A log axis from the decade below the smallest positive value to the decade above the largest, with some room.
  function logRange(values) {
    var v = values.filter(function (x) { return x !== null && x > 0; });
    if (!v.length) return {};
    return {
      min: Math.pow(10, Math.floor(Math.log10(Math.min.apply(null, v)) - 0.3)),
      max: Math.pow(10, Math.ceil(Math.log10(Math.max.apply(null, v)) + 0.3))
    };
  }

  // ---- structure: parameters and MACs per layer (log scale) ----
  var s = data.structure;
  function structureChart(id, key, title) {
    chart(id, {
      type: 'bar',
      data: {
        labels: s.labels,
        datasets: [
          { label: 'original', data: positive(s[key].original), backgroundColor: ORIG },
          { label: 'modified', data: positive(s[key].modified), backgroundColor: MOD }
        ]
      },
      options: {
        plugins: {
          title: { display: true, text: title },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + Number(c.raw).toLocaleString('en-US'); } } }
        },
        scales: { y: Object.assign(logAxis(key === 'params' ? 'parameters' : 'MACs per example'), logRange([].concat(s[key].original, s[key].modified))) }
      }
    });
  }
  if (s) { // an audit page has no structure of its own
    structureChart('chart-params', 'params', 'Parameters per layer (log scale; layers without parameters have no bar)');
    structureChart('chart-macs', 'macs', 'MACs per example, per layer (log scale)');
  }

  // ---- activations: [min, max] per layer on a symmetric log scale ----
  if (data.activations) {
    var a = data.activations;
    var T = 0.01; // symlog: linear within [-T, T], one decade per unit beyond
    var sl = function (v) { return Math.abs(v) <= T ? v / T : Math.sign(v) * (1 + Math.log10(Math.abs(v) / T)); };
    var isl = function (y) { return Math.abs(y) <= 1 ? y * T : Math.sign(y) * T * Math.pow(10, Math.abs(y) - 1); };
    var ranges = function (list) { return list.map(function (r) { return r === null ? null : [sl(r[0]), sl(r[1])]; }); };
    var raw = {};
    var ds = function (key, label, color) {
      raw[label] = a[key];
      return { label: label, data: ranges(a[key]), backgroundColor: color, borderColor: color, borderWidth: 1, borderSkipped: false };
    };
    chart('chart-activations', {
      type: 'bar',
      data: {
        labels: a.labels,
        datasets: [
          ds('originalInitial', 'original, at init', ORIG_LIGHT),
          ds('originalTrained', 'original, after training', ORIG),
          ds('modifiedInitial', 'modified, at init', MOD_LIGHT),
          ds('modifiedTrained', 'modified, after training', MOD)
        ]
      },
      options: {
        plugins: {
          title: { display: true, text: 'Activation range per layer: bar from min to max (symmetric log scale: linear within \u00b10.01, log beyond)' },
          tooltip: { callbacks: { label: function (c) {
            var r = raw[c.dataset.label][c.dataIndex];
            return c.dataset.label + ': [' + num(r[0]) + ', ' + num(r[1]) + ']';
          } } }
        },
        scales: {
          y: {
            title: { display: true, text: 'activation value (symlog)' },
            ticks: { stepSize: 1, callback: function (v) { return Number.isInteger(v) ? num(isl(v)) : ''; } },
            grid: { color: function (c) { return c.tick && c.tick.value === 0 ? '#9ca3af' : 'rgba(0,0,0,0.08)'; } }
          }
        }
      }
    });
  }

  // ---- gradients: peak L2 and median weight L2 per layer (log scale) ----
  if (data.gradients) {
    var g = data.gradients;
    var limits = g.limits.map(function (l) {
      return { value: l.value, label: l.label, color: '#c62828' };
    });
    var values = [].concat(g.peakOriginal, g.peakModified, g.medianOriginal, g.medianModified, g.limits.map(function (l) { return l.value; }));
    chart('chart-gradients', {
      type: 'bar',
      data: {
        labels: g.labels,
        datasets: [
          { label: 'peak L2, original', data: positive(g.peakOriginal), backgroundColor: ORIG },
          { label: 'peak L2, modified', data: positive(g.peakModified), backgroundColor: MOD },
          { label: 'median weight L2, original', data: positive(g.medianOriginal), backgroundColor: ORIG_LIGHT, borderColor: ORIG, borderWidth: 1 },
          { label: 'median weight L2, modified', data: positive(g.medianModified), backgroundColor: MOD_LIGHT, borderColor: MOD, borderWidth: 1 }
        ]
      },
      options: {
        plugins: {
          title: { display: true, text: 'Gradient L2 norm per example, per layer (log scale); dashed: rule limits' },
          hlines: { lines: limits },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + num(c.raw); } } }
        },
        scales: {
          y: Object.assign(logAxis('gradient L2 norm'), logRange(values))
        }
      },
      plugins: [hlines]
    });
  }

  // ---- loss per training iteration ----
  if (data.loss) {
    var n = Math.max(data.loss.original.length, data.loss.modified.length);
    var its = [];
    for (var i = 1; i <= n; i++) its.push(i);
    chart('chart-loss', {
      type: 'line',
      data: {
        labels: its,
        datasets: [
          { label: 'original', data: data.loss.original, borderColor: ORIG, backgroundColor: ORIG, pointRadius: 2 },
          { label: 'modified', data: data.loss.modified, borderColor: MOD, backgroundColor: MOD, pointRadius: 2 }
        ]
      },
      options: {
        plugins: { title: { display: true, text: 'Training loss per iteration (linear scale)' } },
        scales: { x: { title: { display: true, text: 'training iteration' } }, y: { title: { display: true, text: 'loss' } } }
      }
    });
  }

  // ---- held-out metric per epoch: one line per seed and model ----
  if (data.heldOut) {
    var epochs = 0, sets = [];
    [['original', data.heldOut.original, ORIG, []], ['modified', data.heldOut.modified, MOD, [5, 4]]].forEach(function (m) {
      m[1].forEach(function (curve, s) {
        epochs = Math.max(epochs, curve.length);
        sets.push({ label: m[0] + ' seed ' + (s + 1), data: curve, borderColor: m[2], backgroundColor: m[2], borderDash: m[3], pointRadius: 1 });
      });
    });
    var ep = [];
    for (var e = 1; e <= epochs; e++) ep.push(e);
    chart('chart-heldout', {
      type: 'line',
      data: { labels: ep, datasets: sets },
      options: {
        plugins: { title: { display: true, text: data.heldOut.metric + ' after each epoch (original solid, modified dashed)' } },
        scales: { x: { title: { display: true, text: 'epoch' } }, y: { title: { display: true, text: data.heldOut.metric } } }
      }
    });
  }

  // ---- audit: configs by verdict, and each timed config's ratios against the limits ----
  if (data.audit) {
    var au = data.audit;
    chart('chart-verdicts', {
      type: 'bar',
      data: { labels: ['pass', 'fail', 'error'],
              datasets: [{ label: 'configs', data: [au.passed, au.failed, au.errors], backgroundColor: ['#16a34a', '#dc2626', '#6b7280'] }] },
      options: { plugins: { legend: { display: false }, title: { display: true, text: 'Configs by verdict' } },
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    var lines = [];
    if (au.trainingLimit !== null) lines.push({ value: au.trainingLimit, label: 'training-time limit ' + num(au.trainingLimit), color: ORIG });
    if (au.inferenceLimit !== null) lines.push({ value: au.inferenceLimit, label: 'inference-latency limit ' + num(au.inferenceLimit), color: MOD });
    chart('chart-ratios', {
      type: 'bar',
      data: { labels: au.configs.map(function (c) { return c.split('/').pop(); }),
              datasets: [{ label: 'training time ratio', data: au.training, backgroundColor: ORIG },
                         { label: 'inference latency ratio', data: au.inference, backgroundColor: MOD }] },
      options: { plugins: { title: { display: true, text: 'Timing ratios per config (modified / baseline)' }, hlines: { lines: lines } },
                 scales: { y: { beginAtZero: true, title: { display: true, text: 'ratio' } } } },
      plugins: [hlines]
    });
  }

  // ---- timing: median ms per call with the interquartile range as whiskers ----
  (data.timing || []).forEach(function (t) {
    chart(t.id, {
      type: 'bar',
      data: {
        labels: ['original', 'modified'],
        datasets: [{
          label: 'median ms per call',
          data: [t.original.median, t.modified.median],
          whiskers: [[t.original.q1, t.original.q3], [t.modified.q1, t.modified.q3]],
          backgroundColor: [ORIG, MOD],
          maxBarThickness: 90
        }]
      },
      options: {
        plugins: {
          legend: { display: false },
          title: { display: true, text: [t.operation + ', batch ' + t.batch + ': median ms per call, whiskers = IQR (linear scale)',
            'ratio ' + t.ratio + ' (99% CI ' + t.ci + ', ' + t.pairs + ' pairs)' + (t.borderline ? ', borderline' : '')] },
          tooltip: { callbacks: { label: function (c) {
            var w = c.dataset.whiskers[c.dataIndex];
            return 'median ' + num(c.raw) + ' ms (IQR ' + num(w[0]) + '-' + num(w[1]) + ')';
          } } }
        },
        scales: { y: { beginAtZero: true, suggestedMax: Math.max(t.original.q3 || 0, t.modified.q3 || 0) * 1.1, title: { display: true, text: 'ms per call' } } }
      },
      plugins: [whiskers]
    });
  });
})();
