// Package store keeps durable-local's executions and function log lines
// in an embedded bbolt database, so that a restart loses nothing.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

var (
	bucketExecutions = []byte("executions")
	bucketLogs       = []byte("logs")
)

// FileName is the database file inside the data directory.
const FileName = "durable-local.db"

// ErrLocked is returned by Open when another durable-local holds the
// data directory.
var ErrLocked = errors.New("store: the data directory is in use by another durable-local")

// Line is one persisted log line.
type Line struct {
	Arn, RequestID, Stream, Text string
	Time                         time.Time
}

// Store is the database.
type Store struct {
	db *bolt.DB

	mu      sync.Mutex
	dirty   map[string]bool
	lines   []Line
	signal  chan struct{}
	done    chan struct{}
	snap    func(arn string) ([]byte, error)
	lastErr error
	closed  bool
}

// Open opens (creating it if needed) the database in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketExecutions, bucketLogs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	return &Store{db: db, dirty: map[string]bool{}, signal: make(chan struct{}, 1)}, nil
}

// Executions returns every saved execution snapshot.
func (s *Store) Executions() ([][]byte, error) {
	var out [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketExecutions).ForEach(func(_, v []byte) error {
			out = append(out, append([]byte(nil), v...))
			return nil
		})
	})
	return out, err
}

// Lines returns every saved log line, per execution in print order.
func (s *Store) Lines() ([]Line, error) {
	var out []Line
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLogs).ForEach(func(k, _ []byte) error {
			return tx.Bucket(bucketLogs).Bucket(k).ForEach(func(_, v []byte) error {
				var l Line
				if err := json.Unmarshal(v, &l); err != nil {
					return err
				}
				out = append(out, l)
				return nil
			})
		})
	})
	return out, err
}

// Start saves in the background: executions marked with Changed (their
// snapshot taken with snap) and lines given to AddLine.
func (s *Store) Start(snap func(arn string) ([]byte, error)) {
	s.snap = snap
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		for range s.signal {
			s.flush()
		}
	}()
}

// Changed marks an execution to save.
func (s *Store) Changed(arn string) {
	s.mu.Lock()
	s.dirty[arn] = true
	s.mu.Unlock()
	s.poke()
}

// AddLine saves a log line.
func (s *Store) AddLine(l Line) {
	s.mu.Lock()
	s.lines = append(s.lines, l)
	s.mu.Unlock()
	s.poke()
}

func (s *Store) poke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.done == nil {
		return
	}
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

// flush writes what changed in one transaction.
func (s *Store) flush() {
	s.mu.Lock()
	dirty, lines := s.dirty, s.lines
	s.dirty, s.lines = map[string]bool{}, nil
	s.mu.Unlock()
	if len(dirty) == 0 && len(lines) == 0 {
		return
	}
	snaps := map[string][]byte{}
	for arn := range dirty {
		b, err := s.snap(arn)
		if err != nil {
			s.setErr(err)
			continue
		}
		snaps[arn] = b
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		for arn, b := range snaps {
			if err := tx.Bucket(bucketExecutions).Put([]byte(arn), b); err != nil {
				return err
			}
		}
		for _, l := range lines {
			b, err := tx.Bucket(bucketLogs).CreateBucketIfNotExists([]byte(l.Arn))
			if err != nil {
				return err
			}
			seq, _ := b.NextSequence()
			v, _ := json.Marshal(l)
			if err := b.Put(binary.BigEndian.AppendUint64(nil, seq), v); err != nil {
				return err
			}
		}
		return nil
	})
	s.setErr(err)
}

func (s *Store) setErr(err error) {
	if err != nil {
		s.mu.Lock()
		s.lastErr = err
		s.mu.Unlock()
	}
}

// Close saves what is pending and closes the database. It returns the
// first error a background save met, if any.
func (s *Store) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	if s.done != nil {
		close(s.signal)
		<-s.done
		s.flush()
	}
	err := s.db.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(s.lastErr, err)
}
