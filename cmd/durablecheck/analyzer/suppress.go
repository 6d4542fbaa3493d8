package analyzer

import (
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// directive starts a suppression comment.
const directive = "//durable:ignore"

// A suppression silences one rule on two lines (the comment's own and the
// next), or over a whole function when it is in the function's doc.
type suppression struct {
	rule       string
	file       string
	line       int
	start, end token.Pos // a function's extent; zero for a line suppression
}

type suppressions struct{ list []suppression }

// parseSuppressions collects the valid suppressions of pass's files and
// reports the malformed ones.
func parseSuppressions(pass *analysis.Pass) *suppressions {
	s := &suppressions{}
	for _, f := range pass.Files {
		docs := map[*ast.CommentGroup]*ast.FuncDecl{}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
				docs[fd.Doc] = fd
			}
		}
		for _, g := range f.Comments {
			for _, cm := range g.List {
				rest, ok := strings.CutPrefix(cm.Text, directive)
				if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
					continue
				}
				if i := strings.Index(rest, "//"); i >= 0 {
					rest = rest[:i] // a comment on the comment is no reason
				}
				fields := strings.Fields(rest)
				switch {
				case len(fields) == 0:
					report(pass, cm, "durable:ignore needs a rule and a reason: //durable:ignore <rule> <reason>, rules: "+strings.Join(Rules, ", "))
					continue
				case !slices.Contains(Rules, fields[0]):
					report(pass, cm, "durable:ignore names unknown rule "+fields[0]+"; rules: "+strings.Join(Rules, ", "))
					continue
				case len(fields) == 1:
					report(pass, cm, "durable:ignore "+fields[0]+" needs a reason: say why the finding is safe, e.g. //durable:ignore "+fields[0]+" <reason>")
					continue
				}
				p := pass.Fset.Position(cm.Pos())
				sup := suppression{rule: fields[0], file: p.Filename, line: p.Line}
				if fd := docs[g]; fd != nil {
					sup.start, sup.end = fd.Pos(), fd.End()
				}
				s.list = append(s.list, sup)
			}
		}
	}
	return s
}

func report(pass *analysis.Pass, cm *ast.Comment, msg string) {
	pass.Report(analysis.Diagnostic{Pos: cm.Pos(), End: cm.End(), Category: "suppression", Message: msg})
}

// covers reports whether a suppression of rule applies at pos.
func (s *suppressions) covers(fset *token.FileSet, rule string, pos token.Pos) bool {
	if len(s.list) == 0 {
		return false
	}
	p := fset.Position(pos)
	for _, sup := range s.list {
		if sup.rule != rule {
			continue
		}
		if sup.start.IsValid() && pos >= sup.start && pos < sup.end {
			return true
		}
		if sup.file == p.Filename && (p.Line == sup.line || p.Line == sup.line+1) {
			return true
		}
	}
	return false
}
