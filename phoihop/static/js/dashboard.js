/* The dashboard's charts (vendored ECharts), its sortable table and its picker.
   Data come from json_script elements of templates/figures/dashboard.html; every text a person
   reads comes from the page (translated on the server). */
(function () {
  "use strict";

  var PALETTE = ["#7a1f1f", "#1f5f7a", "#c08a1e", "#3d7a1f", "#6b3fa0", "#b3432f", "#2f8f83", "#8a6d3b"];
  var charts = [];

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // 1234567 -> "1.234.567", as the rest of the application writes numbers.
  function fmt(n) {
    if (n === null || n === undefined || n === "") { return ""; }
    var rounded = Math.round(Number(n));
    var digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (rounded < 0 ? "-" : "") + digits;
  }

  var labels = data("dashboard-labels") || {};

  // A grey note across an empty chart, so that a flat line at zero is not misread.
  function emptyNote(values) {
    var empty = values.every(function (v) { return !v; });
    return empty ? {
      text: labels.empty,
      left: "center",
      top: "middle",
      textStyle: { color: "#888", fontSize: 13, fontWeight: "normal" },
    } : { show: false };
  }

  // The monthly trend stops at the current month (the server sends no month still to come).
  // A partial month (the current one, or a period's first or last month cut mid-month) is
  // reached by a dashed segment, drawn as a hollow point, and starred on the axis; the tooltip
  // says so and the page explains it below the chart. Each indicator is two series of one name
  // (one legend entry): the solid line through the whole months, the dashed pieces around the
  // partial ones.
  function trendChart() {
    var el = document.getElementById("trend-chart");
    var trend = data("dashboard-trend");
    if (!el || !trend || !window.echarts) { return; }
    var many = trend.months.length > 36;
    var partial = trend.partial || [];
    var chart = window.echarts.init(el);
    var all = [];
    trend.series.forEach(function (s) { all = all.concat(s.data); });
    var series = [];
    trend.series.forEach(function (s, k) {
      var name = s.name + " (" + s.unit + ")";
      var colour = PALETTE[k % PALETTE.length];
      series.push({
        name: name,
        type: "line",
        color: colour,
        showSymbol: !many,
        data: s.data.map(function (v, i) { return partial[i] ? null : v; }),
      });
      if (partial.indexOf(true) >= 0) {
        series.push({
          name: name,
          type: "line",
          color: colour,
          lineStyle: { type: "dashed" },
          data: s.data.map(function (v, i) {
            if (partial[i]) { return { value: v, symbol: "emptyCircle", symbolSize: 9 }; }
            return partial[i - 1] || partial[i + 1] ? { value: v, symbol: "none" } : null;
          }),
        });
      }
    });
    chart.setOption({
      title: emptyNote(all),
      tooltip: {
        trigger: "axis",
        formatter: function (params) {
          var i = params.length ? params[0].dataIndex : 0;
          var head = echartsEscape(trend.months[i] || "") + (partial[i] ? " (" + echartsEscape(labels.partial) + ")" : "");
          var seen = {};
          var lines = [head];
          params.forEach(function (p) {
            var value = p.value && typeof p.value === "object" ? p.value.value : p.value;
            if (seen[p.seriesName] || value === null || value === undefined) { return; }
            seen[p.seriesName] = true;
            lines.push(p.marker + echartsEscape(p.seriesName) + ": <b>" + fmt(value) + "</b>");
          });
          return lines.join("<br>");
        },
      },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: many ? 44 : 8, containLabel: true },
      xAxis: {
        type: "category",
        data: trend.months,
        boundaryGap: false,
        axisLabel: {
          formatter: function (value, i) { return partial[i] ? "{partial|" + value + "*}" : value; },
          rich: { partial: { color: "#6f6565", fontStyle: "italic" } },
        },
      },
      yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: fmt } },
      dataZoom: many ? [{ type: "inside" }, { type: "slider", height: 18, bottom: 8 }] : [],
      series: series,
    });
    charts.push(chart);
  }

  function childrenChart() {
    var el = document.getElementById("children-chart");
    var d = data("dashboard-children");
    if (!el || !d || !d.rows.length || !window.echarts) { return; }
    var rows = d.rows;
    var many = rows.length > 15;
    var chart = window.echarts.init(el);
    chart.setOption({
      title: emptyNote(rows.map(function (r) { return r.value; })),
      color: [PALETTE[0]],
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (params) {
          var r = rows[params[0].dataIndex];
          var closed = r.closed ? " (" + labels.closed + ")" : "";
          return echartsEscape(r.name) + closed + "<br>" + fmt(r.value) + " " + echartsEscape(d.unit);
        },
      },
      grid: { left: 8, right: many ? 40 : 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: fmt } },
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map(function (r) { return r.name; }),
        axisLabel: { width: 170, overflow: "truncate" },
      },
      dataZoom: many ? [
        { type: "slider", yAxisIndex: 0, right: 6, width: 14, startValue: 0, endValue: 14, showDetail: false },
        { type: "inside", yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true },
      ] : [],
      series: [{
        type: "bar",
        name: d.indicator,
        cursor: "pointer",
        label: { show: true, position: "right", formatter: function (p) { return p.value ? fmt(p.value) : ""; } },
        data: rows.map(function (r) {
          return r.closed ? { value: r.value, itemStyle: { color: "#9a8f8f" } } : r.value;
        }),
      }],
    });
    chart.on("click", function (p) {
      var r = rows[p.dataIndex];
      if (r && r.url) { window.location.href = r.url; }
    });
    charts.push(chart);
  }

  function echartsEscape(text) {
    return window.echarts.format.encodeHTML(String(text));
  }

  // Click a column header to sort; numbers start largest first, names in Vietnamese order
  // (the server gives each name a sort key).
  function sortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, index) {
      var button = th.querySelector(".sort-button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var numeric = button.dataset.sortType === "number";
        var current = th.getAttribute("aria-sort");
        var ascending = current === "none" || !current ? !numeric : current !== "ascending";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index].dataset.sort;
          var y = b.cells[index].dataset.sort;
          var order = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        heads.forEach(function (other) { if (other.querySelector(".sort-button")) { other.setAttribute("aria-sort", "none"); } });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }

  // Show only the inputs of the chosen kind of period.
  function periodParts() {
    var select = document.getElementById("id_period");
    if (!select) { return; }
    function update() {
      document.querySelectorAll("[data-period-part]").forEach(function (el) {
        el.hidden = el.dataset.periodPart.split(" ").indexOf(select.value) < 0;
      });
    }
    select.addEventListener("change", update);
    update();
  }

  function autosubmit() {
    var form = document.getElementById("dashboard-form");
    if (!form) { return; }
    document.querySelectorAll("[data-autosubmit], #dashboard-form input[type=radio]").forEach(function (el) {
      el.addEventListener("change", function () { form.requestSubmit(); });
    });
  }

  periodParts();
  autosubmit();
  document.querySelectorAll("table[data-sortable]").forEach(sortable);
  trendChart();
  childrenChart();
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
