package bench

import (
	"path/filepath"
	"testing"
)

// TestModelOnRecordedRun calibrates the model from the short run kept in
// testdata (the kernel's CSVs as copslab bench wrote them) and checks
// that it reproduces the calibration point and predicts every other one.
func TestModelOnRecordedRun(t *testing.T) {
	sw, err := ReadCSV(filepath.Join("testdata", "switch.csv"), "switch")
	if err != nil {
		t.Fatal(err)
	}
	web, err := ReadCSV(filepath.Join("testdata", "web.csv"), "web")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Calibrate(sw, web)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := PredictWeb(c, web)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 2 {
		t.Fatalf("%d predictions", len(ps))
	}
	for _, p := range ps {
		er, em := p.Error()
		t.Logf("%d conns: model %.0f req/s mean %.0f ns; kernel %.0f req/s mean %.0f ns; error %+.0f%% %+.0f%%",
			p.Conns, p.ReqPerS, p.MeanNS, p.KReqPerS, p.KMeanN, 100*er, 100*em)
		if p.ReqPerS <= 0 || p.MeanNS <= 0 {
			t.Errorf("%d conns: the model served nothing: %+v", p.Conns, p)
		}
		if p.Conns == 1 && (em > 0.2 || em < -0.2) {
			t.Errorf("the calibration point is off by %.0f%%", 100*em)
		}
	}
}
