package scoring

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// TimeSplitReport is a model judged on labels newer than those it learnt
// from: what a team sees after retraining, where a random split would let
// the model learn from the future it is judged on.
type TimeSplitReport struct {
	Train, Test        int       // examples on each side
	TrainFrom, TrainTo time.Time // when the oldest and the newest training labels were given
	Cut, TestTo        time.Time // the same for the test labels: every training label is older than Cut
	Before             Report    // the model as it is, on the test labels
	After              Report    // the model refitted on the training labels, on the test labels
	RetrainedVersion   string
}

// TimeSplit sorts labelled examples by when their labels were given, fits a
// new version on the older ones and judges the model and the new version on
// the newer ones: the last testShare of them (0 gives one in five), moved
// forward when labels given at the same instant would straddle the cut.
func (m *Model) TimeSplit(examples []Example, testShare float64, opts FitOptions) (TimeSplitReport, error) {
	var r TimeSplitReport
	if testShare <= 0 {
		testShare = 0.2
	}
	if testShare >= 1 {
		return r, fmt.Errorf("time split: test share %.2f leaves nothing to train on", testShare)
	}
	ex := append([]Example(nil), examples...)
	sort.SliceStable(ex, func(i, j int) bool { return ex[i].At.Before(ex[j].At) })
	cut := len(ex) - int(math.Ceil(testShare*float64(len(ex))))
	for cut > 0 && cut < len(ex) && ex[cut-1].At.Equal(ex[cut].At) {
		cut-- // a label given at the cut's instant is not older than the test set
	}
	if cut <= 0 || cut >= len(ex) {
		return r, fmt.Errorf("time split: %d labels at %d distinct times cannot be split into older and newer", len(ex), distinctTimes(ex))
	}
	train, test := ex[:cut], ex[cut:]
	r.Train, r.Test = len(train), len(test)
	r.TrainFrom, r.TrainTo, r.Cut, r.TestTo = train[0].At, train[len(train)-1].At, test[0].At, test[len(test)-1].At
	fitted := m.Fit(train, opts)
	r.RetrainedVersion = fitted.Version
	r.Before, r.After = m.EvaluateExamples(test), fitted.EvaluateExamples(test)
	return r, nil
}

func distinctTimes(ex []Example) int {
	n := 0
	for i := range ex {
		if i == 0 || !ex[i].At.Equal(ex[i-1].At) {
			n++
		}
	}
	return n
}
