package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Load parses every <suite>/<id>.yaml under dir and returns the
// requirements sorted by id, numerically ("1-2" before "1-10").
func Load(dir string) ([]*Requirement, error) {
	suites, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load requirements: %w", err)
	}
	var reqs []*Requirement
	seen := map[string]string{}
	for _, s := range suites {
		if !s.IsDir() {
			continue
		}
		got, err := loadSuite(filepath.Join(dir, s.Name()), s.Name())
		if err != nil {
			return nil, err
		}
		for _, r := range got {
			if other, dup := seen[r.ID]; dup {
				return nil, fmt.Errorf("load requirements: id %s is in both %s and %s", r.ID, other, r.Suite)
			}
			seen[r.ID] = r.Suite
		}
		reqs = append(reqs, got...)
	}
	SortRequirements(reqs)
	return reqs, nil
}

func loadSuite(dir, suite string) ([]*Requirement, error) {
	files, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load suite %s: %w", suite, err)
	}
	var reqs []*Requirement
	for _, f := range files {
		if f.IsDir() || !strings.HasSuffix(f.Name(), ".yaml") {
			continue
		}
		path := filepath.Join(dir, f.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("load requirement: %w", err)
		}
		r, err := ParseRequirement(suite, strings.TrimSuffix(f.Name(), ".yaml"), data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r.Path = path
		reqs = append(reqs, r)
	}
	return reqs, nil
}

// SortRequirements orders requirements by id, comparing the dash-separated
// parts as numbers where they are numbers.
func SortRequirements(reqs []*Requirement) {
	sort.SliceStable(reqs, func(i, j int) bool { return LessID(reqs[i].ID, reqs[j].ID) })
}

// LessID reports whether id a sorts before id b: "1-2" < "1-10" < "2-1".
func LessID(a, b string) bool {
	pa, pb := strings.Split(a, "-"), strings.Split(b, "-")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, errA := strconv.Atoi(pa[i])
		nb, errB := strconv.Atoi(pb[i])
		switch {
		case errA == nil && errB == nil:
			if na == nb { // "01" and "1"
				continue
			}
			return na < nb
		case errA == nil: // numbers before words
			return true
		case errB == nil:
			return false
		}
		return pa[i] < pb[i]
	}
	return len(pa) < len(pb)
}
