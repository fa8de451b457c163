// helmrender renders a Helm chart the way `helm template` does, for machines where helm itself cannot be installed:
// the same engine (Go text/template), the same function library (sprig v3) and Helm's own additions (include, tpl,
// required, toYaml, fromYaml, lookup), the same built-in objects (.Values, .Release, .Chart, .Capabilities,
// .Template) and the same output layout ("---" and "# Source:" per template). It builds against Debian's packaged
// sources in GOPATH mode, so it needs nothing from the network.
//
// Usage: helmrender [-f values.yaml]... [--set path=value]... [--notes] [--name release] [--namespace ns] CHART_DIR
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type listFlag []string

func main() {
	var files, sets listFlag
	release, namespace, notes := "subnet", "default", false
	args := os.Args[1:]
	var chartDir string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "-f", "--values":
			i++
			files = append(files, need(args, i, a))
		case "--set":
			i++
			sets = append(sets, need(args, i, a))
		case "--name":
			i++
			release = need(args, i, a)
		case "--namespace":
			i++
			namespace = need(args, i, a)
		case "--notes":
			notes = true
		default:
			if strings.HasPrefix(a, "-") || chartDir != "" {
				die("unknown argument %q", a)
			}
			chartDir = a
		}
	}
	if chartDir == "" {
		die("usage: helmrender [-f values.yaml]... [--set path=value]... [--notes] CHART_DIR")
	}
	out, err := render(chartDir, release, namespace, files, sets, notes)
	if err != nil {
		die("%v", err)
	}
	fmt.Print(out)
}

func need(args []string, i int, flag string) string {
	if i >= len(args) {
		die("%s needs a value", flag)
	}
	return args[i]
}

func die(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "helmrender: "+format+"\n", a...)
	os.Exit(1)
}

func render(dir, release, namespace string, files, sets []string, notes bool) (string, error) {
	chartMeta := map[string]interface{}{}
	if err := readYaml(filepath.Join(dir, "Chart.yaml"), &chartMeta); err != nil {
		return "", err
	}
	name, _ := chartMeta["name"].(string)
	if name == "" {
		return "", fmt.Errorf("Chart.yaml has no name")
	}
	values := map[string]interface{}{}
	if err := readYaml(filepath.Join(dir, "values.yaml"), &values); err != nil {
		return "", err
	}
	for _, f := range files {
		override := map[string]interface{}{}
		if err := readYaml(f, &override); err != nil {
			return "", err
		}
		merge(values, override)
	}
	for _, s := range sets {
		if err := set(values, s); err != nil {
			return "", err
		}
	}
	chart := map[string]interface{}{}
	for k, v := range chartMeta {
		chart[strings.ToUpper(k[:1])+k[1:]] = v
	}
	chart["APIVersion"] = chartMeta["apiVersion"]

	t := template.New("gotpl").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = func(v interface{}) string {
		b, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(b), "\n")
	}
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return v, fmt.Errorf(msg)
		}
		return v, nil
	}
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	funcs["include"] = func(string, interface{}) (string, error) { return "", nil }
	funcs["tpl"] = func(string, interface{}) (string, error) { return "", nil }
	t.Funcs(funcs)
	// Helm's include and tpl need the template set itself, so they are bound after it exists.
	t.Funcs(template.FuncMap{
		"include": func(n string, data interface{}) (string, error) {
			var buf bytes.Buffer
			err := t.ExecuteTemplate(&buf, n, data)
			return buf.String(), err
		},
		"tpl": func(text string, data interface{}) (string, error) {
			c, err := t.Clone()
			if err != nil {
				return "", err
			}
			n, err := c.New("tpl").Parse(text)
			if err != nil {
				return "", err
			}
			var buf bytes.Buffer
			err = n.Execute(&buf, data)
			return buf.String(), err
		},
	})

	tdir := filepath.Join(dir, "templates")
	entries, err := os.ReadDir(tdir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		text, err := os.ReadFile(filepath.Join(tdir, e.Name()))
		if err != nil {
			return "", err
		}
		full := name + "/templates/" + e.Name()
		if _, err := t.New(full).Parse(string(text)); err != nil {
			return "", err
		}
		names = append(names, full)
	}
	sort.Strings(names)

	top := map[string]interface{}{
		"Values": values,
		"Chart":  chart,
		"Release": map[string]interface{}{
			"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false,
			"Revision": 1,
		},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.31.0", "Major": "1", "Minor": "31"},
			"APIVersions": []string{"v1", "apps/v1"},
		},
	}
	var out strings.Builder
	for _, n := range names {
		base := filepath.Base(n)
		isNotes := base == "NOTES.txt"
		if strings.HasPrefix(base, "_") || isNotes != notes {
			continue
		}
		data := map[string]interface{}{}
		for k, v := range top {
			data[k] = v
		}
		data["Template"] = map[string]interface{}{"Name": n, "BasePath": name + "/templates"}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, n, data); err != nil {
			return "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if isNotes {
			out.WriteString(text)
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", n, strings.TrimRight(text, " \n"))
	}
	return out.String(), nil
}

func readYaml(path string, into *map[string]interface{}) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if *into == nil {
		*into = map[string]interface{}{}
	}
	return nil
}

// merge copies src into dst, descending into maps present in both (Helm's coalescing of values files).
func merge(dst, src map[string]interface{}) {
	for k, v := range src {
		if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := dst[k].(map[string]interface{}); ok {
				merge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}

// set applies one --set a.b.c=value, the value read as a YAML scalar.
func set(values map[string]interface{}, expr string) error {
	eq := strings.Index(expr, "=")
	if eq <= 0 {
		return fmt.Errorf("--set %q is not path=value", expr)
	}
	var v interface{}
	if err := yaml.Unmarshal([]byte(expr[eq+1:]), &v); err != nil {
		return fmt.Errorf("--set %q: %v", expr, err)
	}
	path := strings.Split(expr[:eq], ".")
	m := values
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]interface{})
		if !ok {
			next = map[string]interface{}{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
	return nil
}
