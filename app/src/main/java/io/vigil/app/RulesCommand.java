package io.vigil.app;

import io.vigil.detect.SentinelRuleFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Work with Sentinel analytic rules and hunting queries (YAML files with a 'query').",
        subcommands = {
            RulesCommand.Check.class,
            RuleLibraryCommands.Import.class,
            RuleLibraryCommands.ListRules.class,
            RuleLibraryCommands.Show.class,
            RuleLibraryCommands.Enable.class,
            RuleLibraryCommands.Disable.class,
            RuleLibraryCommands.BacktestRule.class
        })
final class RulesCommand {
    /** How long one rule may take on a server before the check gives up on it. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Parse, bind and run the query of every rule YAML under the paths (folders are walked) against"
                        + " the workspace's current data, over the rule's queryPeriod when it has one.",
                "Prints 'FAIL <path>: <code> <message> (line L, col C)' per failing rule (positions are in the"
                        + " query text; ' [+N more]' when the query has further problems), then 'checked N rules: P ok, F failed'. A file whose YAML does not load"
                        + " fails as invalid_yaml; its query is still cut out of its 'query: |' block and checked.",
                "Exit codes: 0 all ran, 1 some failed, 2 usage or I/O error."
            })
    static final class Check implements Callable<Integer> {
        @Mixin
        QueryTargetOptions target;

        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Rule files or folders")
        List<Path> paths;

        @Override
        public Integer call() throws Exception {
            List<SentinelRuleFiles.Rule> rules;
            try {
                rules = SentinelRuleFiles.find(paths);
            } catch (IOException exception) {
                System.err.println("vigil: cannot read rules: " + exception);
                return 2;
            }
            int failed = 0;
            try (QueryTarget opened = target.open(REQUEST_TIMEOUT)) {
                for (SentinelRuleFiles.Rule rule : rules) {
                    Optional<String> failure = check(opened, rule);
                    if (failure.isPresent()) {
                        failed++;
                        System.out.println("FAIL " + rule.path() + ": " + failure.get());
                    }
                }
            } catch (IOException exception) {
                System.err.println("vigil: " + exception);
                return 2;
            }
            printSummary(System.out, rules.size(), failed);
            if (failed > 0) {
                return 1;
            }
            return 0;
        }

        static void printSummary(PrintStream out, int checked, int failed) {
            out.println("checked " + checked + " rules: " + (checked - failed) + " ok, " + failed + " failed");
        }

        /** Why a rule fails, or empty when it ran. */
        private static Optional<String> check(QueryTarget target, SentinelRuleFiles.Rule rule)
                throws InterruptedException {
            Optional<String> queryFailure = Optional.empty();
            if (rule.query().isPresent()) {
                Optional<String> timespan = rule.queryPeriod().map(Duration::toString);
                QueryTarget.Answer answer = target.run(rule.query().get(), timespan);
                queryFailure = switch (answer) {
                    case QueryTarget.Answer.Rows rows -> Optional.empty();
                    case QueryTarget.Answer.Rejected rejected -> Optional.of(describe(rejected.problems()));
                };
            }
            if (rule.yamlProblem().isEmpty()) {
                return queryFailure;
            }
            SentinelRuleFiles.YamlProblem yaml = rule.yamlProblem().get();
            StringBuilder text = new StringBuilder("invalid_yaml ").append(yaml.message());
            if (yaml.line() > 0) {
                text.append(" (line ")
                        .append(yaml.line())
                        .append(", col ")
                        .append(yaml.column())
                        .append(')');
            }
            if (rule.query().isEmpty()) {
                text.append("; no 'query: |' block to cut out by hand");
            } else {
                text.append("; query cut out of its 'query: |' block by hand: ");
                text.append(queryFailure.orElse("ok"));
            }
            return Optional.of(text.toString());
        }

        /** The first problem, and how many more there are (the query API reports them all). */
        private static String describe(List<QueryTarget.Problem> problems) {
            String first = describe(problems.get(0));
            if (problems.size() == 1) {
                return first;
            }
            return first + " [+" + (problems.size() - 1) + " more]";
        }

        private static String describe(QueryTarget.Problem problem) {
            StringBuilder text = new StringBuilder(problem.code())
                    .append(' ')
                    .append(problem.message().replace('\n', ' '));
            if (problem.hasPosition()) {
                text.append(" (line ")
                        .append(problem.line())
                        .append(", col ")
                        .append(problem.column())
                        .append(')');
            }
            return text.toString();
        }
    }
}
