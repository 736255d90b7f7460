using Inspector.Cli;

return await InspectorCommand.RunAsync(args, Console.Out, Console.Error);
