# sched-cdf.gp - scheduler-sim: empirical CDF of wake-to-run latencies on
# a linear axis (a boosted vCPU often runs the instant it wakes, a latency
# of exactly 0, which a log axis cannot show).
# Variables set by the harness: datafile (blocks of "value fraction", one
# per series), outbase, plottitle, xlabel_text, labels (one word a series).
set title plottitle
set xlabel xlabel_text
set ylabel "fraction of wake-ups at or below (CDF)"
set yrange [0:1.02]
set xrange [0:*]
set grid
set key bottom right
n = words(labels)
do for [t in "pngcairo svg"] {
	if (t eq "pngcairo") {
		set terminal pngcairo size 900,560 noenhanced font "sans,10"
		set output outbase.".png"
	} else {
		set terminal svg size 900,560 dynamic noenhanced font "sans,10"
		set output outbase.".svg"
	}
	plot for [i=1:n] datafile index (i-1) using 1:2 with steps \
		linewidth 2 title word(labels, i)
}
