package conformance

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// parseYAML decodes one YAML document into the values described on Map.
// Decoding goes through yaml.Node so mapping key order survives.
func parseYAML(data []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 { // empty input
		return nil, nil
	}
	return fromNode(&doc)
}

func fromNode(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromNode(n.Content[0])
	case yaml.MappingNode:
		return fromMappingNode(n)
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromNode(c)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.ScalarNode:
		return fromScalarNode(n)
	case yaml.AliasNode:
		return nil, fmt.Errorf("line %d: YAML aliases are not supported", n.Line)
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node kind %d", n.Line, n.Kind)
}

func fromMappingNode(n *yaml.Node) (any, error) {
	m := NewMap()
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: mapping keys must be scalars", k.Line)
		}
		if _, dup := m.Get(k.Value); dup {
			return nil, fmt.Errorf("line %d: duplicate key %q", k.Line, k.Value)
		}
		val, err := fromNode(v)
		if err != nil {
			return nil, err
		}
		m.Set(k.Value, val)
	}
	return m, nil
}

func fromScalarNode(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return b, nil
	case "!!int":
		return yamlInt(n)
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("line %d: %q has no JSON form", n.Line, n.Value)
		}
		return json.Number(pyFloat(f)), nil
	}
	return n.Value, nil // strings, and timestamps or binaries kept as written
}

func yamlInt(n *yaml.Node) (any, error) {
	var i int64
	if err := n.Decode(&i); err == nil {
		return json.Number(strconv.FormatInt(i, 10)), nil
	}
	var u uint64
	if err := n.Decode(&u); err != nil {
		return nil, fmt.Errorf("line %d: integer %q out of range", n.Line, n.Value)
	}
	return json.Number(strconv.FormatUint(u, 10)), nil
}
