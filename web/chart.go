package web

import "strconv"

// chart is a bar chart drawn on the server as SVG: no script, no library,
// nothing fetched, and the table under it says the same in numbers.
type chart struct {
	Width, Height float64
	Base          float64 // the y of the axis
	Bars          []chartBar
}

type chartBar struct {
	X, Y, W, H float64
	Mid        float64 // the bar's middle, where its texts are centred
	Label      string  // under the bar
	Value      string  // above it, and its tooltip
}

// Chart geometry, in SVG user units (the SVG scales to its box).
const (
	chartWidth   = 1000
	chartHeight  = 180
	chartPadTop  = 18
	chartPadFoot = 22
)

// barChart lays out one bar per item, labelled and valued by bar, scaled
// to the largest value.
func barChart[T any](items []T, bar func(T) (label string, value int)) chart {
	c := chart{Width: chartWidth, Height: chartHeight, Base: chartHeight - chartPadFoot}
	labels, values := make([]string, len(items)), make([]int, len(items))
	top := 1
	for i, it := range items {
		labels[i], values[i] = bar(it)
		top = max(top, values[i])
	}
	slot := chartWidth / float64(max(len(items), 1))
	for i, v := range values {
		h := (c.Base - chartPadTop) * float64(v) / float64(top)
		x := float64(i)*slot + slot*0.15
		c.Bars = append(c.Bars, chartBar{X: x, Y: c.Base - h, W: slot * 0.7, H: h, Mid: x + slot*0.35,
			Label: labels[i], Value: strconv.Itoa(v)})
	}
	return c
}
