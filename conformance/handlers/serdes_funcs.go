package handlers

// serdesFuncs adapts a pair of functions to durable.Serdes, for the custom
// serdes the requirements exercise.
type serdesFuncs struct {
	SerializeFunc   func(value any) (string, error)
	DeserializeFunc func(data string, target any) error
}

func (s serdesFuncs) Serialize(value any) (string, error) { return s.SerializeFunc(value) }

func (s serdesFuncs) Deserialize(data string, target any) error {
	return s.DeserializeFunc(data, target)
}
