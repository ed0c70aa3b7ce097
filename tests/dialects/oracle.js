// Reads one JSON request a line ({"text": ..., "expand": bool}) and answers with the
// [key, value] pairs the real dotenv package (and dotenv-expand, with an empty process
// environment) produce, in property order.
'use strict'
const dotenv = require('dotenv')
const { expand } = require('dotenv-expand')
const readline = require('readline')

const lines = readline.createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const request = JSON.parse(line)
  let parsed = dotenv.parse(request.text)
  if (request.expand) {
    parsed = expand({ parsed: { ...parsed }, processEnv: {} }).parsed
  }
  process.stdout.write(JSON.stringify(Object.entries(parsed)) + '\n')
})
