package views

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// pooled is the base of the views drawn from a drawList: paint lays the
// whole view out for a size, reusing pooled objects.
type pooled struct {
	widget.BaseWidget
	d     drawList
	min   fyne.Size
	paint func(d *drawList, size fyne.Size)
	over  []fyne.CanvasObject // drawn above the pooled objects (a tooltip)
}

func (p *pooled) CreateRenderer() fyne.WidgetRenderer { return &pooledRenderer{p} }

type pooledRenderer struct{ p *pooled }

func (r *pooledRenderer) Layout(s fyne.Size) { r.draw(s) }
func (r *pooledRenderer) MinSize() fyne.Size { return r.p.min }
func (r *pooledRenderer) Refresh()           { r.draw(r.p.Size()) }
func (r *pooledRenderer) Destroy()           {}
func (r *pooledRenderer) Objects() []fyne.CanvasObject {
	if len(r.p.over) == 0 {
		return r.p.d.objects()
	}
	objs := r.p.d.objects()
	return append(objs[:len(objs):len(objs)], r.p.over...)
}

func (r *pooledRenderer) draw(s fyne.Size) {
	r.p.d.reset()
	r.p.paint(&r.p.d, s)
	r.p.d.finish()
}
