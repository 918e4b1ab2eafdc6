using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Benchmarks.Codec;

namespace HwSpecGen.Benchmarks.Measurements;

/// <summary>
/// <c>selfcheck</c> mode: runs every benchmark's setup (which checks that the generated code, the hand-written C#
/// baseline and the C baseline agree on every entry) and every benchmark method once, without timing. A quick smoke
/// test of the suite; <c>selfcheck Codec</c> limits it to classes whose name contains the argument.
/// </summary>
public static class SelfCheck
{
    public static int Run(string[] args)
    {
        var failures = 0;
        var types = typeof(SelfCheck).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .Where(t => args.Length == 0 || args.Any(a => t.FullName!.Contains(a, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            // every combination of the [ParamsSource] and [Params] values
            var parameters = type.GetProperties().Where(p => p.GetCustomAttribute<ParamsSourceAttribute>() is not null || p.GetCustomAttribute<ParamsAttribute>() is not null).ToArray();
            var combinations = new[] { Array.Empty<(PropertyInfo, object?)>() }.AsEnumerable();
            foreach (var p in parameters)
            {
                var values = p.GetCustomAttribute<ParamsAttribute>() is { } fixedValues
                    ? fixedValues.Values
                    : ((System.Collections.IEnumerable)type.GetProperty(p.GetCustomAttribute<ParamsSourceAttribute>()!.Name)!.GetValue(null)!).Cast<object?>().ToArray();
                combinations = combinations.SelectMany(c => values.Select(v => c.Append((p, v)).ToArray())).ToArray();
            }

            foreach (var combination in combinations)
            {
                failures += Check(type, combination);
            }
        }

        Console.WriteLine(failures == 0 ? "selfcheck: all benchmark classes agree and run" : $"selfcheck: {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    private static int Check(Type type, (PropertyInfo Property, object? Value)[] parameters)
    {
        var name = parameters.Length == 0 ? type.Name : $"{type.Name}({string.Join(", ", parameters.Select(p => $"{p.Property.Name}={p.Value}"))})";
        {
            var sw = Stopwatch.StartNew();
            try
            {
                var instance = Activator.CreateInstance(type)!;
                foreach (var (property, value) in parameters)
                {
                    property.SetValue(instance, value);
                }

                foreach (var setup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null))
                {
                    setup.Invoke(instance, null);
                }

                var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
                    .Where(m => NativeBaseline.IsAvailable || !m.Name.EndsWith("_C", StringComparison.Ordinal)).ToList();
                foreach (var method in methods)
                {
                    foreach (var iterationSetup in type.GetMethods().Where(m => m.GetCustomAttribute<IterationSetupAttribute>() is { } a && (a.Targets.Length == 0 || a.Targets.Contains(method.Name))))
                    {
                        iterationSetup.Invoke(instance, null);
                    }

                    method.Invoke(instance, null);
                }

                foreach (var cleanup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null))
                {
                    cleanup.Invoke(instance, null);
                }

                Console.WriteLine($"ok    {name} ({methods.Count} benchmarks, {sw.Elapsed.TotalSeconds:F1} s)");
                return 0;
            }
            catch (TargetInvocationException e)
            {
                Console.WriteLine($"FAIL  {name}: {e.InnerException}");
                return 1;
            }
        }
    }
}
