package logrusadapter

import (
	"sync"

	"github.com/sirupsen/logrus"
)

// The fields of a line are built in a pooled map. That is safe because
// logrus copies an entry's data before it formats the line or fires hooks
// ("each log operation operates on a copy of the Entry's data"), so nothing
// holds the map once Entry.Log returns; and it saves the allocations that
// make building fields from args cost more than a logrus.Fields literal.
//
// Maps are pooled by capacity class so that a map never grows past its
// class: logrus clones the map per line, and cloning copies its capacity.
var fieldPools [len(classHints)]sync.Pool

// classHints are make hints that give maps of 8, 16, 32 and 64 slots, the
// largest count each class holds without growing.
var classHints = [...]int{8, 14, 28, 56}

// getFields returns an empty map with room for n fields and the class to
// return it to with putFields; class -1 means unpooled.
func getFields(n int) (logrus.Fields, int) {
	for c, hint := range classHints {
		if n <= hint {
			if m, ok := fieldPools[c].Get().(logrus.Fields); ok {
				return m, c
			}
			return make(logrus.Fields, hint), c
		}
	}
	return make(logrus.Fields, n), -1
}

// putFields empties m and returns it to its class's pool.
func putFields(m logrus.Fields, class int) {
	if class < 0 {
		return
	}
	clear(m)
	fieldPools[class].Put(m)
}
