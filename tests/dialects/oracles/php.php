<?php
// The php dialect's oracle: Debian's php-vlucas-phpdotenv (phpdotenv 5) reading each text as
// a Laravel application's .env (the reader's byte-order-mark handling, then Dotenv::parse's
// parser and loader over an array-backed repository, so nothing comes from this process's environment), then the
// values as Laravel's env() returns them. One JSON request a line: {"text": ...}; the answer:
// {"values": [[key, value-or-null], ...]} or {"error": "..."}.
require '/usr/share/php/Dotenv/autoload.php';

function laravel($value) {
    // Illuminate\Support\Env::get's mapping, as the framework has it
    switch (strtolower($value)) {
        case 'true': case '(true)': return 'true';
        case 'false': case '(false)': return 'false';
        case 'empty': case '(empty)': return '';
        case 'null': case '(null)': return '';
    }
    if (preg_match('/\A([\'"])(.*)\1\z/', $value, $matches)) {
        return $matches[2];
    }
    return $value;
}

while (($line = fgets(STDIN)) !== false) {
    $request = json_decode($line, true);
    try {
        // Dotenv::parse's own steps, reading the repository by name at the end: its returned
        // array renumbers names that are integers ("12"), which the repository does not
        $text = \Dotenv\Util\Str::utf8($request['text'])->success()->get();
        $repository = \Dotenv\Repository\RepositoryBuilder::createWithNoAdapters()
            ->addAdapter(\Dotenv\Repository\Adapter\ArrayAdapter::class)->make();
        $entries = (new \Dotenv\Parser\Parser())->parse($text);
        (new \Dotenv\Loader\Loader())->load($repository, $entries);
        $values = [];
        $seen = [];
        foreach ($entries as $entry) {
            $name = $entry->getName();
            if (isset($seen[$name])) { continue; }
            $seen[$name] = true;
            $value = $repository->get($name);
            $values[] = [$name, $value === null ? null : laravel($value)];
        }
        echo json_encode(['values' => $values], JSON_INVALID_UTF8_SUBSTITUTE), "\n";
    } catch (\Throwable $error) {
        echo json_encode(['error' => get_class($error)]), "\n";
    }
}
