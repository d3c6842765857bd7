/// Max pooling over `size × size` windows of x `[N, C, H, W]` moved by `stride` (default: `size`),
/// no padding. The forward records each output's arg-max; the backward routes the gradient there
/// (the first maximum on ties, as a subgradient).
public func maxPool2d(_ x: Var, size: Int, stride: Int? = nil) -> Var {
    let win = poolWindow(x, size: size, stride: stride, op: "maxPool2d")
    let planes = x.shape[0] * x.shape[1], (oh, ow) = (win.outH, win.outW), plane = win.height * win.width
    var y = Tensor(zeros: [x.shape[0], x.shape[1], oh, ow])
    var argmax = [Int](repeating: 0, count: planes * oh * ow)
    x.value.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
        argmax.withUnsafeMutableBufferPointer { ap in
            for p in 0..<planes { for i in 0..<oh { for j in 0..<ow {
                var best = -Float.infinity, at = 0
                for di in 0..<size { for dj in 0..<size {
                    let idx = p * plane + (i * win.stride + di) * win.width + j * win.stride + dj
                    if xp[idx] > best { best = xp[idx]; at = idx }
                }}
                let o = (p * oh + i) * ow + j
                yp[o] = best
                ap[o] = at
            }}}
        }
    }}
    return x.tape.record(y, inputs: [x]) { tape, g in
        tape.accumulate(x) { dx in g.withUnsafeBufferPointer { gp in
            for o in 0..<gp.count { dx[argmax[o]] += gp[o] }
        }}
    }
}

/// Average pooling over `size × size` windows (no padding); backward spreads each output's
/// gradient evenly over its window.
public func avgPool2d(_ x: Var, size: Int, stride: Int? = nil) -> Var {
    let win = poolWindow(x, size: size, stride: stride, op: "avgPool2d")
    let planes = x.shape[0] * x.shape[1], (oh, ow) = (win.outH, win.outW), plane = win.height * win.width
    let s = win.stride, w = win.width, scale = 1 / Float(size * size)
    var y = Tensor(zeros: [x.shape[0], x.shape[1], oh, ow])
    x.value.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
        for p in 0..<planes { for i in 0..<oh { for j in 0..<ow {
            var sum: Float = 0
            for di in 0..<size { for dj in 0..<size { sum += xp[p * plane + (i * s + di) * w + j * s + dj] } }
            yp[(p * oh + i) * ow + j] = sum * scale
        }}}
    }}
    return x.tape.record(y, inputs: [x]) { tape, g in
        tape.accumulate(x) { dx in g.withUnsafeBufferPointer { gp in
            for p in 0..<planes { for i in 0..<oh { for j in 0..<ow {
                let share = gp[(p * oh + i) * ow + j] * scale
                for di in 0..<size { for dj in 0..<size { dx[p * plane + (i * s + di) * w + j * s + dj] += share } }
            }}}
        }}
    }
}

private func poolWindow(_ x: Var, size: Int, stride: Int?, op: String) -> Window2d {
    precondition(x.shape.count == 4, "\(op) needs x [N, C, H, W], got \(x.shape)")
    let win = Window2d(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                       kernelH: size, kernelW: size, stride: stride ?? size, padding: 0)
    precondition(size > 0 && win.outH > 0 && win.outW > 0, "\(op): window \(size) does not fit input \(x.shape)")
    return win
}
