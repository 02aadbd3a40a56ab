import Plot

/// The opened/closed bar chart as inline SVG, drawn on the server (no script, no external file).
enum WeeklyChart {
    static let width = 480, height = 200, top = 10, bottom = 30, left = 30

    static func svg(_ weeks: [Dashboard.Week]) -> Node<Body> {
        let peak = max(1, weeks.map { max($0.opened, $0.closed) }.max() ?? 1)
        let plotHeight = height - top - bottom
        let slot = weeks.isEmpty ? 0 : (width - left) / weeks.count
        let bar = max(2, slot / 2 - 2)
        var shapes: [Node<Body>] = [
            .el("line", .attr("class", "axis"), .attr("x1", "\(left)"), .attr("y1", "\(top + plotHeight)"),
                .attr("x2", "\(width)"), .attr("y2", "\(top + plotHeight)")),
            .el("text", .attr("x", "0"), .attr("y", "\(top + 10)"), .txt("\(peak)")),
            .el("text", .attr("x", "0"), .attr("y", "\(top + plotHeight)"), .txt("0")),
        ]
        for (index, week) in weeks.enumerated() {
            let x = left + index * slot + 1
            for (offset, value, kind) in [(0, week.opened, "opened"), (bar + 1, week.closed, "closed")] {
                let h = value * plotHeight / peak
                shapes.append(.el("rect", .attr("class", kind), .attr("x", "\(x + offset)"), .attr("y", "\(top + plotHeight - h)"),
                                  .attr("width", "\(bar)"), .attr("height", "\(h)"),
                                  .el("title", .txt("Week of \(week.start): \(value) \(kind)"))))
            }
            if index % 2 == 0 {
                shapes.append(.el("text", .attr("x", "\(x)"), .attr("y", "\(height - 10)"), .txt(String(week.start.dropFirst(5)))))
            }
        }
        let total = weeks.reduce((0, 0)) { ($0.0 + $1.opened, $0.1 + $1.closed) }
        return .el("svg", [.attr("class", "chart"), .attr("viewBox", "0 0 \(width) \(height)"), .attr("role", "img"),
                           .attr("aria-labelledby", "chart-title"), .attr("xmlns", "http://www.w3.org/2000/svg"),
                           .el("title", .attr("id", "chart-title"),
                               .txt("Findings per week over \(weeks.count) weeks: \(total.0) opened, \(total.1) closed"))] + shapes)
    }
}
