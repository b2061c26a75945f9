import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small `helm` for this repository: real Helm 3.21 (helm-java's native library), offline.
 *
 * <pre>
 *   version
 *   lint CHART [--strict] [--quiet]
 *   template CHART [--name N] [--namespace NS] [--kube-version V] [-f FILE]... [--set KEY=VALUE]...
 *   batch   commands on stdin, one per line, arguments separated by tabs; a JSON array of
 *           {"ok": boolean, "output": string} on stdout, one per command, in order
 * </pre>
 *
 * Batch mode exists for tests: the JVM and the native library load once for many renders.
 * helm-java's lint takes no values (it lints the chart's own values.yaml): lint a copy of the
 * chart whose values.yaml holds the values to check.
 */
public final class HelmRunner {
  /** Template's client-only default is v1.20, below the chart's kubeVersion floor. */
  private static final String DEFAULT_KUBE_VERSION = "1.30.0";

  private static final class Outcome {
    final boolean ok;
    final String output;

    Outcome(boolean ok, String output) {
      this.ok = ok;
      this.output = output;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) usage();
    if (args[0].equals("batch")) {
      System.out.print(batch());
      System.out.flush();
      return;
    }
    Outcome outcome = run(Arrays.asList(args));
    (outcome.ok ? System.out : System.err).print(outcome.output.endsWith("\n") || outcome.output.isEmpty()
        ? outcome.output
        : outcome.output + "\n");
    System.exit(outcome.ok ? 0 : 1);
  }

  private static String batch() throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder json = new StringBuilder("[");
    String line;
    boolean first = true;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      Outcome outcome;
      try {
        outcome = run(Arrays.asList(line.split("\t", -1)));
      } catch (IllegalArgumentException error) {
        outcome = new Outcome(false, "usage error: " + error.getMessage());
      }
      if (!first) json.append(',');
      first = false;
      json.append("{\"ok\":").append(outcome.ok).append(",\"output\":");
      quote(json, outcome.output);
      json.append('}');
    }
    return json.append("]\n").toString();
  }

  private static Outcome run(List<String> args) {
    String command = args.get(0);
    switch (command) {
      case "version":
        return new Outcome(true, Helm.version().call());
      case "lint":
        return lint(args.subList(1, args.size()));
      case "template":
        return template(args.subList(1, args.size()));
      default:
        throw new IllegalArgumentException("unknown command " + command);
    }
  }

  private static Outcome lint(List<String> args) {
    String chart = null;
    boolean strict = false;
    boolean quiet = false;
    for (String arg : args) {
      if (arg.equals("--strict")) strict = true;
      else if (arg.equals("--quiet")) quiet = true;
      else if (chart == null && !arg.startsWith("-")) chart = arg;
      else throw new IllegalArgumentException("lint: unexpected argument " + arg);
    }
    if (chart == null) throw new IllegalArgumentException("lint: CHART is required");
    LintCommand lint = new Helm(Paths.get(chart)).lint();
    if (strict) lint.strict();
    if (quiet) lint.quiet();
    LintResult result = lint.call();
    return new Outcome(!result.isFailed(), String.join("\n", result.getMessages()));
  }

  private static Outcome template(List<String> args) {
    String chart = null;
    String name = "release-name";
    String namespace = null;
    String kubeVersion = DEFAULT_KUBE_VERSION;
    List<String> valuesFiles = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--name":
          name = value(args, ++i, arg);
          break;
        case "--namespace":
          namespace = value(args, ++i, arg);
          break;
        case "--kube-version":
          kubeVersion = value(args, ++i, arg);
          break;
        case "-f":
        case "--values":
          valuesFiles.add(value(args, ++i, arg));
          break;
        case "--set":
          sets.add(value(args, ++i, arg));
          break;
        default:
          if (chart == null && !arg.startsWith("-")) chart = arg;
          else throw new IllegalArgumentException("template: unexpected argument " + arg);
      }
    }
    if (chart == null) throw new IllegalArgumentException("template: CHART is required");
    TemplateCommand template = new Helm(Paths.get(chart)).template().withName(name).withKubeVersion(kubeVersion);
    if (namespace != null) template.withNamespace(namespace);
    for (String file : valuesFiles) template.withValuesFile(Paths.get(file));
    for (String set : sets) {
      int at = set.indexOf('=');
      if (at <= 0) throw new IllegalArgumentException("--set expects KEY=VALUE, got " + set);
      template.set(set.substring(0, at), set.substring(at + 1));
    }
    try {
      return new Outcome(true, template.call());
    } catch (IllegalStateException error) {
      // helm-java reports Helm's own error (schema, required value, template) this way.
      return new Outcome(false, String.valueOf(error.getMessage()));
    }
  }

  private static String value(List<String> args, int index, String flag) {
    if (index >= args.size()) throw new IllegalArgumentException(flag + " needs a value");
    return args.get(index);
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
      }
    }
    out.append('"');
  }

  private static void usage() {
    System.err.println(
        "usage: HelmRunner version | lint CHART [--strict] [--quiet] | template CHART [--name N]"
            + " [--namespace NS] [--kube-version V] [-f FILE]... [--set KEY=VALUE]... | batch");
    System.exit(2);
  }
}
