/// The built-in chat vocabulary: about 2,100 ordinary English (UK) chat words, roughly most frequent first.
///
/// Words that would trigger an abuse rule on their own were left out; the planted phrases and the near-misses
/// (`PlantedPhrases`) are the only rule-relevant text in a generated corpus. A few non-ASCII words (café, naïve,
/// smörgåsbord) exercise UTF-8 handling.
enum Vocabulary {
    /// Words in rank order: the Zipf sampler gives rank r a weight of 1/r.
    static let words: [String] = text.split(separator: " ").map(String.init)

    private static let text = """
    i you the to a and it is that in of me for on be so have just my not was do are but we at with no this get what
    if can all like yeah go your know ok it's i'm got up out one about there don't will how when now think its he
    they time good see then can't lol yes she well come back going too did some her would them been want today oh
    really need here his why an him our from had more way make day any by right sure still were say tomorrow much
    off who night thanks tonight only let us over home work people take said which could also than very next last
    week morning love new thing first after should something again even nice because give maybe never later always
    tell before where these those two three four five six seven eight nine ten around call other same many every
    most place lot little long great feel thank best into away let's actually probably literally anyway though
    through while both each such own yet else ever already since until without enough quite rather almost half whole
    few less least lmao haha hahaha omg wtf tbh idk imo btw brb ngl fr np ty thx pls plz cya ttyl xx xxx x hun babe
    mate lad lads bro bruv fam innit cheers ta aye nah yep yup nope okay k kk hmm hm ah aw aww ooh wow woah yay ugh
    meh ffs sake soz sorry pal chap bloke guys dude mum mam dad nan grandad auntie uncle bestie hubby wifey am being
    has having does doing done went gone goes getting gets made making came coming comes saw seen seeing looking
    look looks looked find found finding gave given giving told telling knew known thought thinking feels felt
    feeling leave leaving left put putting mean means meant keep kept keeping start started starting show showed
    shown try tried trying ask asked asking working worked seem seemed turn turned turning help helped helping talk
    talked talking play played playing run running ran move moved moving live lived living believe bring brought
    happen happened write wrote written sit sat sitting stand stood lose lost losing pay paid paying meet met
    meeting include continue set learn learned change changed lead understand watch watched watching follow stop
    stopped stopping create speak spoke read reading allow add added spend spent spending grow grew open opened
    opening walk walked walking win won winning offer remember remembered consider appear buy bought buying wait
    waited waiting serve send sent sending expect build built stay stayed staying fall fell cut reach pass passed
    passing sell sold raise decide decided return explain hope hoped hoping develop carry carried break broke broken
    receive agree support hold held holding drive drove driving wear wore check checked checking sort sorted pick
    picked picking drop dropped grab grabbed text texted message messaged ring rang phone phoned book booked cancel
    cancelled fix fixed clean cleaned cook cooked eat ate eating drink drank drinking sleep slept sleeping wake woke
    waking catch caught fancy reckon guess guessed hear heard listen enjoy enjoyed miss missed plan planned share
    shared post posted upload sign signed join joined finish finished forget forgot forgotten borrow lend owe owed
    save saved charge charged order ordered deliver delivered arrive arrived park parked queue queued shop shopping
    wash washed iron tidy hoover chill chilling relax relaxed rest rested train training swim swimming cycle cycling
    jog jogging dance dancing sing singing laugh laughed laughing smile cry cried worry worried bother bothered mind
    minded care cared wonder wondered suppose supposed promise promised invite invited visit visited celebrate pop
    popped nip nipped head headed lock locked unlock charging load loading type typing scroll scrolling click
    clicked update updated delete download reply replied answer answered ignore ignored block blocked house car bus
    tube station shops pub bar club restaurant cafe office school uni college job boss shift rota weekend holiday
    trip flight hotel beach garden kitchen bedroom bathroom sofa telly tv film movie series episode game match
    football footy rugby cricket tennis golf gym pool team league goal score ref pitch ticket tickets seat seats
    road street town city village country world money cash card bank bill bills rent mortgage council tax price deal
    sale discount receipt parcel delivery van lorry taxi uber lift ride petrol diesel traffic jam motorway
    roundabout junction bridge corner hill river sea lake field farm forest weather rain sun snow wind fog storm
    cloud sky umbrella coat jacket jumper hoodie shoes trainers boots socks jeans shirt dress top hat scarf gloves
    bag wallet keys laptop charger battery screen wifi signal data app email inbox group chat photo photos pic pics
    video videos selfie link page site account password code number address postcode birthday party wedding
    christening funeral anniversary present gift cake candles balloons food dinner lunch breakfast brunch tea coffee
    milk sugar bread toast butter cheese eggs bacon sausage beans chips crisps pizza pasta curry chippy kebab burger
    sandwich butty salad soup chicken beef pork lamb fish rice potatoes veg carrots peas onions garlic tomatoes
    apples bananas oranges grapes strawberries chocolate biscuits sweets ice cream water juice wine beer pint pints
    lager cider gin vodka prosecco round kettle fridge freezer oven microwave dishwasher washing machine dryer bin
    bins recycling bags box boxes table chair bed pillow duvet blanket towel soap shampoo toothbrush mirror window
    door floor wall roof ceiling stairs garage shed fence gate driveway neighbour neighbours landlord flat flatmate
    housemate family kids kid baby babies son daughter brother sister cousin niece nephew friend friends mates
    partner boyfriend girlfriend husband wife fiance colleague colleagues manager staff customer customers client
    clients doctor dentist nurse vet teacher teachers student students parents parent grandparents dog dogs cat cats
    puppy kitten pet pets walkies collar appointment hospital surgery pharmacy prescription medicine tablets cold
    flu cough headache hangover sore throat temperature test results weeks month months year years days hour hours
    minute minutes second seconds moment ages times date dates calendar diary plans idea ideas question questions
    problem problems issue issues reason things stuff bit bits piece lots loads bunch couple pair quarter dozen
    hundred thousand million afternoon evening midnight noon monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december spring summer
    autumn winter christmas easter halloween bonfire eve fine lovely brilliant amazing awesome cool fab fabulous
    gorgeous beautiful pretty cute sweet funny hilarious silly daft mad crazy weird strange odd random boring tired
    knackered shattered exhausted sleepy hungry starving thirsty full stuffed freezing hot boiling warm sunny rainy
    windy wet dry dark light early late quick slow fast busy quiet loud noisy empty crowded packed cheap expensive
    dear free easy hard difficult simple tricky big small tiny huge massive short tall high low deep fresh old young
    ready happy sad gutted chuffed buzzing excited nervous scared stressed annoyed fuming livid proper wrong true
    false real fake worst better worse favourite lucky unlucky sick ill poorly fit healthy dirty messy safe sound
    fair honest kind rude polite grumpy moody cheeky posh rough dodgy sketchy legit decent solid lush mint peng grim
    grotty manky minging bare wicked class quality spot properly absolutely totally completely truly definitely
    certainly honestly seriously basically generally usually normally sometimes often rarely soon yesterday weekly
    daily nearly exactly roughly perhaps possibly hopefully luckily unfortunately apparently obviously clearly
    anyhow somehow somewhere anywhere everywhere nowhere someone anyone everyone nobody somebody anybody everybody
    anything everything nothing together alone along across behind beside between beyond inside outside above below
    under upstairs downstairs nearby far near close abroad gonna wanna gotta dunno lemme coz cos tho ur u r y wat
    thru nite m8 gr8 l8r b4 2day 2moro tmrw tmw 2 3 4 5 6 7 8 10 11 12 15 20 30 45 100 5pm 6pm 7pm 8pm 9am 10am past
    o'clock ish asap eta fyi aka vs etc café naïve jalapeño crème brûlée résumé fiancée piñata déjà vu façade über
    doppelgänger smörgåsbord jalapeños piñatas cafés london manchester leeds liverpool birmingham bristol glasgow
    edinburgh cardiff belfast newcastle sheffield nottingham leicester brighton oxford cambridge york bath cornwall
    devon kent surrey yorkshire wales scotland ireland spain france italy greece portugal tenerife ibiza benidorm
    amsterdam dublin paris rome barcelona lidl aldi tesco asda sainsburys morrisons waitrose greggs primark argos
    costa nandos wetherspoons spoons ikea amazon netflix spotify youtube instagram facebook whatsapp tiktok snapchat
    google bbc itv premier cup final derby arrest custody briefing debrief paperwork statement warrant suspect
    witness victim caller incident report sergeant inspector constable officer officers handover response unit
    patrol radio control cell cells interview solicitor court magistrates crown bail remand caution evidence exhibit
    cctv footage bodycam camera overtime annual earlies lates nights refs canteen room nick section area
    neighbourhood jobs log logs dispatch backup blues twos apartment argument arrangement article assignment
    attention audience average award balance basket belt bench bicycle bike blender board boat body bone bonus books
    border bottle bottom bowl brain branch brand breath brick bride brush bubble bucket budget bug building bulb
    button cabinet cable camp campaign candle canvas cap capital captain career carpet carton case castle centre
    chain chalk challenge champion chance channel chapter chart cheque chest choice church circle cleaner climate
    clock closet cloth coach coast coin collection colour comment community company competition computer concert
    condition contract costume cottage counter course cover crew crowd cupboard curtain cushion dashboard deadline
    decision degree delay department deposit desk detail device diet direction discussion dish distance document
    drawer dream driver drum duck dust duty edge education effort election energy engine entrance environment error
    event exam example exercise experience expert eye face fact factory fan fashion feature fee feedback festival
    figure file finger flag flower folder form fortune frame fruit fuel fun furniture future gallery gap gas gear
    ghost glass gold grade grass guest guitar habit hair hall hand handle heart heat height hobby hole honey horse
    host housing humour image insurance interest internet island item jar jewellery joke journey judge key keyboard
    knee label ladder lamp language laundry lawn layer leaf lesson letter level library licence lid limit line list
    loss luck magazine mail map market meal measure media member memory menu mess metal method middle mistake model
    mood mountain mouse mouth music name nature neck network news newspaper note notice novel nut ocean opinion
    option orange owner pack package pain paint pan paper parking passport path pattern payment peace pen pencil
    pepper percent period permission person picture pie pile pilot pin pipe plant plastic plate platform player
    pocket poem point policy pot pound power practice prize process product project property purpose puzzle rate
    recipe record region relief request research result review reward role rope rule salary salt sample sand sauce
    scale scene scheme science season secret sense service session shape sheet shelf shower side silver singer sink
    skill skin skirt smell snack song source space speech speed spirit sport square stage stamp star state step
    stock stone store story strategy stream strength string studio style subject success suit supply surface
    surprise sweater system tablet tank tape task taste technology term theme theory tie tip title toilet tone tool
    tooth topic tour tower toy track trade tradition tree trick trouble truck truth tune twin union user version
    view voice volume wage warning wave wealth website weight wheel wing winner wish wood word worker yard zone
    accept admit afford aim annoy apologise apply argue arrange attach attend avoid bake behave belong bet blame
    boil bounce burn calm cheer choose chop collect compare complain confirm connect copy count crash cross dare
    describe design dig discuss earn edit enter escape explore fail fetch fill float fold fry gather glue greet hide
    hire hug hurry imagine improve inform insist install jump knock knit land lay lie mark melt mend mix nod obey
    organise pause peel perform pinch plug polish pour pray prefer prepare print protect pull pump push refuse rely
    remind remove repair repeat replace rescue rinse risk rock roll rub rush scrape scream search settle shake shave
    shiver shrug sigh ski skip sneeze snore solve sparkle spell splash spoil spray squash squeeze stare steer stir
    stretch suggest surround survive swap switch tap tease tickle touch trace trap travel treat tremble trust tug
    unpack untie vanish wander warn waste weigh whisper wink wobble wrap yawn zip adorable brave bright careful
    cheerful clever comfy comfortable cosy curious delighted eager elegant fantastic friendly gentle glad grateful
    handsome helpful hopeful humble jolly keen lively loyal magic marvellous modern neat nifty patient peaceful
    perfect pleasant proud quirky rare reliable rich rosy shiny smart smooth snug soft spare special speedy spicy
    splendid steady sticky strong stunning superb tasty tender terrific thick thin thrilled tough tremendous unique
    useful vast vivid wealthy wide wild wise witty wonderful yummy zesty
    """.split(separator: "\n").joined(separator: " ")
}
