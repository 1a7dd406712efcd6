// Shared by the archetype cases: validates a generated GitHub Actions workflow with a real validator from npm,
// @action-validator/cli (its schema of workflows), as `.ci/run` installs it: `npm install -g @action-validator/cli`.
// Evaluates to a closure: validate(workflowFile).
return { File workflow ->
    def p
    try {
        p = new ProcessBuilder('action-validator', workflow.path).redirectErrorStream(true).start()
    } catch (IOException notInstalled) {
        assert false : "action-validator is not on PATH: npm install -g @action-validator/cli@0.6.0 (${notInstalled.message})"
    }
    String out = p.inputStream.text
    assert p.waitFor() == 0 : "action-validator rejects ${workflow}:\n${out}"
    return out
}
