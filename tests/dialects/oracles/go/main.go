// The go dialect's oracle: Debian's golang-github-joho-godotenv-dev (godotenv) reading each
// text with Unmarshal, which expands ${VAR} from the text itself, never from this process.
// One JSON request a line: {"text": ...}; the answer: {"values": [[key, value], ...]} or
// {"error": "..."}.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"

	"github.com/joho/godotenv"
)

type request struct {
	Text string `json:"text"`
}

type answer struct {
	Values [][2]string `json:"values,omitempty"`
	Error  string      `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			panic(err)
		}
		values, err := godotenv.Unmarshal(r.Text)
		if err != nil {
			_ = out.Encode(answer{Error: "refused"})
			continue
		}
		pairs := [][2]string{}
		for k, v := range values {
			pairs = append(pairs, [2]string{k, v})
		}
		sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
		_ = out.Encode(answer{Values: pairs})
	}
}
