package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// ConfigFile is the configuration file looked for in the working directory.
const ConfigFile = "wparchive.yaml"

// notConfigurable tells the flags a configuration file cannot set: they
// are not settings of a run.
func notConfigurable(name string) bool {
	return name == "help" || name == "version" || name == "config"
}

// config is a parsed configuration file. Its top-level keys are flag names,
// applied to every command that has the flag; a key naming a command
// (convert:, fetch:…) opens a section of that command's flags, which wins
// over the top level. The command line wins over both.
type config struct {
	file     string
	top      []configEntry
	sections map[string][]configEntry
}

// configEntry is one flag of the file, with its nodes for line numbers.
type configEntry struct {
	key, value *yaml.Node
}

// bindConfig adds --config to root and sets, before any command runs, the
// flags the command line left unset from the configuration file.
func bindConfig(root *cobra.Command, io *IOStreams) {
	var explicit string
	root.PersistentFlags().StringVar(&explicit, "config", "", "read flags from this YAML file (default: "+ConfigFile+" in the working directory, when there is one)")
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
		if !configurable(c) {
			return nil
		}
		cfg, err := loadConfig(io, explicit, root)
		if err != nil || cfg == nil {
			return err
		}
		return cfg.apply(c)
	}
}

// configurable tells the commands that run a job from those that only
// describe the tool (help, completion), which a broken file must not stop.
func configurable(c *cobra.Command) bool {
	for ; c != nil; c = c.Parent() {
		switch c.Name() {
		case "help", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return false
		}
	}
	return true
}

// loadConfig reads the file given with --config, or wparchive.yaml in the
// working directory when there is one; nil when there is none.
func loadConfig(io *IOStreams, explicit string, root *cobra.Command) (*config, error) {
	name := explicit
	if name == "" {
		if io.Getwd == nil {
			return nil, nil
		}
		wd, err := io.Getwd()
		if err != nil {
			return nil, fmt.Errorf("looking for %s: %w", ConfigFile, err)
		}
		if wd == "" {
			return nil, nil
		}
		name = filepath.Join(wd, ConfigFile)
	}
	data, err := os.ReadFile(name)
	switch {
	case errors.Is(err, os.ErrNotExist) && explicit == "":
		return nil, nil
	case errors.Is(err, os.ErrNotExist):
		return nil, usageErrorf("--config %s: no such file", name)
	case err != nil:
		return nil, usageErrorf("--config %s: %v", name, err)
	}
	return parseConfig(name, data, root)
}

// parseConfig reads a configuration file and checks every key against the
// flags of root's commands, so a misspelt key is an error, not a silent no-op.
func parseConfig(name string, data []byte, root *cobra.Command) (*config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &UsageError{Err: yamlError(name, err)}
	}
	cfg := &config{file: name, sections: map[string][]configEntry{}}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, nil // an empty file
	}
	m := doc.Content[0]
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return cfg, nil // only comments
	}
	if m.Kind != yaml.MappingNode {
		return nil, cfg.errorf(m, "the file must be a mapping of flag names to values (no-media: true)")
	}
	commands := map[string]*cobra.Command{}
	anyFlag := map[string]bool{}
	for _, c := range root.Commands() {
		if !configurable(c) {
			continue
		}
		commands[c.Name()] = c
		c.Flags().VisitAll(func(f *pflag.Flag) { anyFlag[f.Name] = true })
	}
	top, err := cfg.entries(m, "", func(k string) bool { return anyFlag[k] && !notConfigurable(k) }, commands)
	if err != nil {
		return nil, err
	}
	for _, e := range top {
		c, ok := commands[e.key.Value]
		if !ok {
			cfg.top = append(cfg.top, e)
			continue
		}
		if e.value.Kind != yaml.MappingNode {
			return nil, cfg.errorf(e.value, "section %s must be a mapping of flag names to values", c.Name())
		}
		has := func(k string) bool { return c.Flags().Lookup(k) != nil && !notConfigurable(k) }
		sec, err := cfg.entries(e.value, c.Name(), has, nil)
		if err != nil {
			return nil, err
		}
		cfg.sections[c.Name()] = sec
	}
	return cfg, nil
}

// entries lists a mapping's keys, refusing duplicates and unknown names.
func (cfg *config) entries(m *yaml.Node, section string, known func(string) bool, commands map[string]*cobra.Command) ([]configEntry, error) {
	seen := map[string]bool{}
	var out []configEntry
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, cfg.errorf(k, "a key must be a flag name")
		}
		if seen[k.Value] {
			return nil, cfg.errorf(k, "%q is set twice", k.Value)
		}
		seen[k.Value] = true
		if _, isCommand := commands[k.Value]; !isCommand && !known(k.Value) {
			return nil, cfg.errorf(k, "%s", unknownKey(k.Value, section, commands))
		}
		out = append(out, configEntry{key: k, value: v})
	}
	return out, nil
}

func unknownKey(key, section string, commands map[string]*cobra.Command) string {
	if notConfigurable(key) {
		return fmt.Sprintf("%q cannot be set in a configuration file", key)
	}
	if section != "" {
		return fmt.Sprintf("unknown key %q: 'wparchive %s' has no --%s flag", key, section, key)
	}
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return fmt.Sprintf("unknown key %q: no command has a --%s flag, and it is not a section (%s)", key, key, strings.Join(names, ", "))
}

// apply sets the flags of c that the command line left unset: from c's
// section, else from the top level.
func (cfg *config) apply(c *cobra.Command) error {
	chosen := map[string]configEntry{}
	var order []string
	for _, list := range [][]configEntry{cfg.top, cfg.sections[c.Name()]} {
		for _, e := range list {
			if c.Flags().Lookup(e.key.Value) == nil {
				continue // a flag of another command
			}
			if _, ok := chosen[e.key.Value]; !ok {
				order = append(order, e.key.Value)
			}
			chosen[e.key.Value] = e
		}
	}
	for _, name := range order {
		f := c.Flags().Lookup(name)
		if f.Changed {
			continue // the command line wins
		}
		if err := cfg.set(c.Flags(), f, chosen[name]); err != nil {
			return err
		}
	}
	return nil
}

// set gives one flag its value from the file: a scalar, or for a list flag
// a YAML list, each element set in turn.
func (cfg *config) set(fs *pflag.FlagSet, f *pflag.Flag, e configEntry) error {
	var values []string
	switch v := e.value; v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return cfg.errorf(v, "%s has no value", f.Name)
		}
		values = []string{v.Value}
	case yaml.SequenceNode:
		if _, ok := f.Value.(pflag.SliceValue); !ok {
			return cfg.errorf(v, "%s takes one value, not a list", f.Name)
		}
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode {
				return cfg.errorf(item, "%s: a list element must be a plain value", f.Name)
			}
			values = append(values, item.Value)
		}
	default:
		return cfg.errorf(v, "%s must be a value or a list of values", f.Name)
	}
	for _, s := range values {
		if err := fs.Set(f.Name, s); err != nil {
			return cfg.errorf(e.value, "%s: %v", f.Name, err)
		}
	}
	return nil
}

// errorf is a usage error at a node's line.
func (cfg *config) errorf(n *yaml.Node, format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf("%s:%d: %s", cfg.file, n.Line, fmt.Sprintf(format, a...))}
}

// yamlError turns yaml.v3's "yaml: line N: message" into "FILE:N: message".
func yamlError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if _, err := strconv.Atoi(num); err == nil {
				return fmt.Errorf("%s:%s: %s", name, num, text)
			}
		}
	}
	return fmt.Errorf("%s: %s", name, msg)
}
