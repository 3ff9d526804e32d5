package simdlearn.train;

import java.util.List;
import simdlearn.train.report.EpochLine;
import simdlearn.train.report.RunLine;
import simdlearn.train.report.SummaryLine;

/** What a finished run produced: the trained model and every report line. */
public record TrainingResult(Model model, RunLine run, List<EpochLine> epochs,
    SummaryLine summary) {}
