# The ruby dialect's oracle: Debian's ruby-dotenv (the dotenv gem) parsing each text as
# Dotenv.load does (is_load), with this process's environment emptied (so nothing comes from
# it) and command substitution answered with a marker instead of running anything.
# One JSON request a line: {"text": ...}; the answer: {"values": [[key, value], ...]} or
# {"error": "..."}.
require "json"
require "dotenv/parser"

module Dotenv
  module Substitutions
    module Command
      # the gem runs `#{command}` here: the oracle never runs what a generated file holds
      def self.`(_command)
        "\u0000RUN\u0000"
      end
    end
  end
end

ENV.clear
STDOUT.sync = true
STDIN.each_line do |line|
  request = JSON.parse(line)
  begin
    values = Dotenv::Parser.call(request["text"], true)
    puts JSON.generate({ "values" => values.to_a })
  rescue StandardError, SyntaxError => e
    puts JSON.generate({ "error" => e.class.name })
  end
end
